import type { CallbackSender } from './callback-sender';
import type { ScenarioSpec } from './scenarios';
import { LOCKED } from './sim-answer';
import { checkoutRequestId, eatTimestamp, merchantRequestId, receiptNumber } from './sim-ids';
import { matches, type RecordFilter, type SimTransaction } from './sim-records';
import type { SimSettings } from './sim-settings';
import type { PushFields } from './sim-validation';

export interface Result {
  resultCode: number | string;
  resultDesc: string;
}

/**
 * Simulated payments: one per accepted push, pending until the customer "acts", then final with
 * the scenario's result and a callback. At most one live prompt per phone.
 */
export class SimPayments {
  private readonly transactions = new Map<string, SimTransaction>();
  private readonly livePrompt = new Map<string, string>();
  private readonly receipts = new Set<string>();

  constructor(
    private readonly sender: CallbackSender,
    private readonly schedule: (ms: number, run: () => void) => void,
    private readonly settings: () => SimSettings,
  ) {}

  reset(): void {
    this.transactions.clear();
    this.livePrompt.clear();
    this.receipts.clear();
  }

  get(id: string): SimTransaction | undefined {
    return this.transactions.get(id);
  }

  list(filter: RecordFilter = {}): SimTransaction[] {
    return [...this.transactions.values()].filter((t) => matches(t, filter));
  }

  /** The pending prompt on this phone, if any. */
  livePromptOn(phone: string): SimTransaction | undefined {
    const txn = this.transactions.get(this.livePrompt.get(phone) ?? '');
    return txn?.status === 'pending' ? txn : undefined;
  }

  /** A newer prompt took the subscriber: the old one ends with 1001 (REFERENCE §6). */
  supersede(txn: SimTransaction): void {
    this.complete(txn, { resultCode: 1001, resultDesc: LOCKED }, 'once');
  }

  create(f: PushFields, scenario: ScenarioSpec, prompt: boolean): SimTransaction {
    const now = new Date();
    let id = checkoutRequestId(now, f.phone);
    for (let bump = 1; this.transactions.has(id); bump++) {
      id = checkoutRequestId(now, f.phone, bump);
    }
    const txn: SimTransaction = {
      merchantRequestId: merchantRequestId(),
      checkoutRequestId: id,
      shortcode: f.shortcode,
      partyB: f.partyB,
      transactionType: f.transactionType,
      phone: f.phone,
      amount: f.amount,
      callbackUrl: f.callbackUrl,
      accountReference: f.accountReference,
      scenario,
      createdAt: now.toISOString(),
      status: 'pending',
      prompt,
    };
    this.transactions.set(id, txn);
    if (prompt) this.livePrompt.set(f.phone, id);
    if (!scenario.hold) {
      this.schedule(this.settings().callbackDelayMs, () => this.complete(txn, scenario));
    }
    return txn;
  }

  /** The customer acted (or the prompt ended): the query turns final and the callback goes out. */
  complete(txn: SimTransaction, result: Result, delivery = txn.scenario.delivery): void {
    if (txn.status === 'completed') return;
    const now = new Date();
    txn.status = 'completed';
    txn.resultCode = result.resultCode;
    txn.resultDesc = result.resultDesc;
    txn.completedAt = now.toISOString();
    if (String(result.resultCode) === '0') {
      let receipt = receiptNumber(now);
      while (this.receipts.has(receipt)) receipt = receiptNumber(now);
      this.receipts.add(receipt);
      txn.receipt = receipt;
      txn.transactionDate = eatTimestamp(now);
    }
    if (this.livePrompt.get(txn.phone) === txn.checkoutRequestId) {
      this.livePrompt.delete(txn.phone);
    }
    this.deliver(txn, delivery, now);
  }

  private deliver(txn: SimTransaction, delivery: ScenarioSpec['delivery'], now: Date): void {
    switch (delivery) {
      case 'once':
        return this.sender.deliver(txn);
      case 'three_times':
        return this.sender.deliver(txn, 3);
      case 'late': {
        const wait = this.settings().lateCallbackMs - (now.getTime() - Date.parse(txn.createdAt));
        return this.schedule(Math.max(0, wait), () => this.sender.deliver(txn));
      }
      case 'never':
        return;
    }
  }
}
