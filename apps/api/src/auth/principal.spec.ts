import { asTenantId } from '@malipo/common';
import { tenantOf, type Principal } from './principal';

const A = asTenantId('11111111-1111-4111-8111-111111111111');
const B = '22222222-2222-4222-8222-222222222222';
const owner: Principal = { keyId: 'k', role: 'owner', tenantId: A, terminalId: null };
const terminal: Principal = { keyId: 'k', role: 'terminal', tenantId: A, terminalId: 't' };
const ops: Principal = { keyId: 'k', role: 'ops', tenantId: null, terminalId: null };

describe('tenantOf', () => {
  it('gives owners and terminals their own tenant, whatever they ask for', () => {
    expect(tenantOf(owner)).toBe(A);
    expect(tenantOf(terminal, A)).toBe(A);
    expect(() => tenantOf(owner, B)).toThrow(expect.objectContaining({ kind: 'not_found' }));
    expect(() => tenantOf(terminal, B)).toThrow(expect.objectContaining({ kind: 'not_found' }));
  });

  it('gives ops the tenant named in x-tenant-id, which is required', () => {
    expect(tenantOf(ops, B)).toBe(B);
    expect(() => tenantOf(ops)).toThrow(expect.objectContaining({ code: 'TENANT.REQUIRED' }));
    expect(() => tenantOf(ops, 'nope')).toThrow(expect.objectContaining({ kind: 'invalid' }));
  });
});
