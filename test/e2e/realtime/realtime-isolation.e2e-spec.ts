import fc from 'fast-check';
import type { PaymentUpdated } from '@malipo/realtime';
import { SCENARIOS } from '../../../apps/daraja-sim/src/scenarios';
import { createTenantWithKeys, type TenantWithKeys } from '../../factories/tenancy';
import { canonical, payingPhone } from '../../support/nest-apps';
import {
  connected,
  http,
  orderRef,
  record,
  startHarness,
  type RealtimeHarness,
  type Recorder,
} from './realtime-harness';

const OUTCOMES = {
  succeeded: SCENARIOS.success,
  cancelled: SCENARIOS.cancelled,
  failed: SCENARIOS.insufficient_funds,
  duplicated: SCENARIOS.duplicate_callbacks,
} as const;
type Outcome = keyof typeof OUTCOMES;
const FINAL: Record<Outcome, string> = {
  succeeded: 'succeeded',
  cancelled: 'cancelled',
  failed: 'failed',
  duplicated: 'succeeded',
};

describe('tenant isolation on /terminals (property)', () => {
  let h: RealtimeHarness;
  let shops: Record<'A' | 'B', TenantWithKeys>;
  let ears: Record<'A' | 'B', Recorder>;

  beforeAll(async () => {
    h = await startHarness();
    // Callbacks overtake each other, so the two tenants' events really interleave.
    h.sim.sim.setFaults({ callbackReorderWindowMs: 120 });
    h.sim.sim.setSettings({ callbackDelayMs: 40 });
    shops = { A: await createTenantWithKeys(h.db), B: await createTenantWithKeys(h.db) };
    // One owner socket per replica: events must cross Redis to one of them either way.
    ears = {
      A: record(h.a.url, { token: shops.A.ownerKey }),
      B: record(h.b.url, { token: shops.B.ownerKey }),
    };
    await Promise.all([connected(ears.A.socket), connected(ears.B.socket)]);
  });

  afterAll(async () => {
    ears?.A.socket.close();
    ears?.B.socket.close();
    await h?.close();
  });

  const pay = async (tenant: 'A' | 'B', outcome: Outcome, via: 'a' | 'b'): Promise<string> => {
    const phone = payingPhone();
    h.sim.sim.setScenario(canonical(phone), OUTCOMES[outcome]);
    const res = await http(h[via].url, shops[tenant].terminalKey).post(
      '/v1/payments',
      { orderRef: orderRef(), amount: 7, phone },
      { headers: { 'idempotency-key': `k-${Math.random()}` } },
    );
    expect(res.status).toBe(201);
    return (res.data as { id: string }).id;
  };
  const ended = (id: string, status: string) => (e: PaymentUpdated[]) =>
    e.some((x) => x.payment.id === id && x.event.to === status);

  it("an owner's socket never receives another tenant's events, whatever the interleaving", async () => {
    const paid: Record<'A' | 'B', Set<string>> = { A: new Set(), B: new Set() };
    const step = fc.record({
      tenant: fc.constantFrom<'A' | 'B'>('A', 'B'),
      outcome: fc.constantFrom<Outcome>('succeeded', 'cancelled', 'failed', 'duplicated'),
      via: fc.constantFrom<'a' | 'b'>('a', 'b'),
      pauseMs: fc.integer({ min: 0, max: 30 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 2, maxLength: 8 }), async (steps) => {
        const started = steps.map(async (s, i) => {
          await new Promise((r) => setTimeout(r, s.pauseMs * i));
          const id = await pay(s.tenant, s.outcome, s.via);
          paid[s.tenant].add(id);
          return { ...s, id };
        });
        const runs = await Promise.all(started);
        for (const r of runs) await ears[r.tenant].waitFor(ended(r.id, FINAL[r.outcome]));
        for (const tenant of ['A', 'B'] as const) {
          const events = ears[tenant].events;
          expect(events.every((e) => e.payment.tenantId === shops[tenant].tenantId)).toBe(true);
          expect(events.every((e) => paid[tenant].has(e.payment.id))).toBe(true);
          const seqs = events.map((e) => e.seq);
          expect(new Set(seqs).size).toBe(seqs.length);
        }
      }),
      { numRuns: 8 },
    );
    // The property saw both tenants' traffic.
    expect(paid.A.size).toBeGreaterThan(0);
    expect(paid.B.size).toBeGreaterThan(0);
  });
});
