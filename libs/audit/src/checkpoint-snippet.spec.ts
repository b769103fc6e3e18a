import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { AuditKeyring } from './audit-keyring';
import type { SignedCheckpoint } from './checkpoint';

type Verify = (cp: SignedCheckpoint, publicKeyPem: string) => boolean;

/** The shop's snippet in docs/audit.md, run as written, so the docs cannot drift from the code. */
function snippet(): Verify {
  const doc = readFileSync(path.resolve(__dirname, '../../../docs/audit.md'), 'utf8');
  const blocks = [...doc.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
  const code = blocks.find((b) => b.includes('function verifyCheckpoint'));
  if (!code) throw new Error('verification snippet not found in docs/audit.md');
  return new Function('require', `${code}\nreturn verifyCheckpoint;`)(require) as Verify;
}

describe('the documented checkpoint verification snippet', () => {
  const verify = snippet();
  const keyring = new AuditKeyring(Buffer.alloc(32, 5).toString('base64'));
  const { publicKeyPem } = keyring.publicKeyView();

  it('accepts every checkpoint the keyring signs, and no other key or seq (property)', () => {
    const content = fc.record({
      chainId: fc.uuid(),
      seq: fc.integer({ min: 1, max: 2 ** 40 }),
      headHash: fc
        .uint8Array({ minLength: 32, maxLength: 32 })
        .map((b) => Buffer.from(b).toString('hex')),
      at: fc
        .date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true })
        .map((d) => d.toISOString()),
    });
    const other = new AuditKeyring(Buffer.alloc(32, 6).toString('base64')).publicKeyView();
    fc.assert(
      fc.property(content, (c) => {
        const cp = keyring.sign(c);
        expect(verify(cp, publicKeyPem)).toBe(true);
        expect(verify({ ...cp, seq: cp.seq + 1 }, publicKeyPem)).toBe(false);
        expect(verify(cp, other.publicKeyPem)).toBe(false);
      }),
      { numRuns: 40 },
    );
  });
});
