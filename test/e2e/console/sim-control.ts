import type { RunningDarajaSim } from '../../../apps/daraja-sim/src/start-sim';
import { SCENARIOS } from '../../../apps/daraja-sim/src/scenarios';
import { canonical } from '../../support/nest-apps';
import { waitFor } from '../../support/processes';

/** The simulator driven in-process: hold a customer's prompt, then let them act when the test says. */
export function simControl(running: RunningDarajaSim) {
  const { sim } = running;
  return {
    /** The prompt waits for `complete`; `lostAnswer`: the push answer is a 500 after the prompt. */
    hold: (phone: string, opts: { lostAnswer?: boolean } = {}): void =>
      sim.setScenario(canonical(phone), {
        ...(opts.lostAnswer ? SCENARIOS.push_http_500 : SCENARIOS.success),
        hold: true,
      }),
    complete: async (phone: string): Promise<void> => {
      const txn = await waitFor(async () =>
        sim.listTransactions({ phone: canonical(phone) }).at(-1),
      );
      if (!sim.completeNow(txn.checkoutRequestId)) throw new Error('no transaction to complete');
    },
    /** STK pushes that reached the simulator for this phone, whatever it answered. */
    pushesTo: (phone: string): number =>
      sim.requests({ kind: 'stk_push', phone: canonical(phone) }).length,
  };
}
