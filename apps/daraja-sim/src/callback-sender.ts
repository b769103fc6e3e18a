import axios from 'axios';
import type { CallbackRecord, SimTransaction } from './sim-records';
import type { SimFaults } from './sim-settings';

/** Daraja's exact STK callback JSON (REFERENCE §4): numbers in the callback, `Amount` as `1.00`. */
export function callbackBody(txn: SimTransaction): { json: string; body: unknown } {
  const stkCallback: Record<string, unknown> = {
    MerchantRequestID: txn.merchantRequestId,
    CheckoutRequestID: txn.checkoutRequestId,
    ResultCode: txn.resultCode,
    ResultDesc: txn.resultDesc,
  };
  if (String(txn.resultCode) === '0') {
    stkCallback.CallbackMetadata = {
      Item: [
        { Name: 'Amount', Value: txn.amount },
        { Name: 'MpesaReceiptNumber', Value: txn.receipt },
        { Name: 'Balance' },
        { Name: 'TransactionDate', Value: Number(txn.transactionDate) },
        { Name: 'PhoneNumber', Value: Number(txn.phone) },
      ],
    };
  }
  const body = { Body: { stkCallback } };
  const json = JSON.stringify(body).replace(
    /("Name":"Amount","Value":)(\d+)(?=\})/,
    (_m, head: string, whole: string) => `${head}${whole}.00`,
  );
  return { json, body };
}

export interface SenderHooks {
  schedule: (ms: number, run: () => void) => void;
  record: (entry: Omit<CallbackRecord, 'seq' | 'at'>) => void;
  faults: () => SimFaults;
  random: () => number;
}

/** Delivers callbacks with the configured drop, duplicate and reordering faults. */
export class CallbackSender {
  private readonly http = axios.create({ timeout: 10_000, validateStatus: () => true });
  private readonly aborts = new Set<AbortController>();

  constructor(private readonly hooks: SenderHooks) {}

  /** `copies` deliveries of the same body (3 for scenario 9998), each subject to the faults. */
  deliver(txn: SimTransaction, copies = 1, spacingMs = 25): void {
    const { json, body } = callbackBody(txn);
    const base = {
      checkoutRequestId: txn.checkoutRequestId,
      merchantRequestId: txn.merchantRequestId,
      phone: txn.phone,
      url: txn.callbackUrl,
      resultCode: txn.resultCode ?? '',
      body,
    };
    for (let i = 0; i < copies; i++) {
      const faults = this.hooks.faults();
      if (this.hooks.random() < faults.callbackDropRate) {
        this.hooks.record({ ...base, outcome: 'dropped' });
        continue;
      }
      const sends = this.hooks.random() < faults.callbackDuplicateRate ? 2 : 1;
      for (let s = 0; s < sends; s++) {
        const jitter = Math.floor(this.hooks.random() * faults.callbackReorderWindowMs);
        this.hooks.schedule(i * spacingMs + jitter, () => void this.post(base, json));
      }
    }
  }

  private async post(
    base: Omit<CallbackRecord, 'seq' | 'at' | 'outcome'>,
    json: string,
  ): Promise<void> {
    const abort = new AbortController();
    this.aborts.add(abort);
    try {
      const res = await this.http.post(base.url, json, {
        headers: { 'Content-Type': 'application/json' },
        signal: abort.signal,
      });
      const ok = res.status >= 200 && res.status < 300;
      this.hooks.record({ ...base, outcome: ok ? 'delivered' : 'failed', httpStatus: res.status });
    } catch (error) {
      if (abort.signal.aborted) return;
      // Daraja does not retry (REFERENCE §4.6): a failed delivery is simply lost.
      this.hooks.record({ ...base, outcome: 'failed', error: (error as Error).message });
    } finally {
      this.aborts.delete(abort);
    }
  }

  close(): void {
    for (const abort of this.aborts) abort.abort();
    this.aborts.clear();
  }
}
