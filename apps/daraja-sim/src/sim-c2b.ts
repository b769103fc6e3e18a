import { createHash, randomBytes } from 'node:crypto';
import { envelope, isRecord, type SimAnswer } from './sim-answer';
import { eatTimestamp, receiptNumber } from './sim-ids';
import type { SimReceipt } from './sim-ledger';
import type { SimResultPoster } from './sim-result-poster';
import { checkC2bRegister, type C2bRegisterFields } from './sim-result-validation';

export interface C2bHooks {
  refusal: (authorization: string | undefined) => SimAnswer | undefined;
  /** The account (shortcode + kind) a paybill or till number belongs to. */
  accountOf: (number: string) => { shortcode: string; kind: 'paybill' | 'till' } | undefined;
  poster: SimResultPoster;
}

export interface HandPayment {
  shortCode: string;
  amount: number;
  phone: string;
  billRefNumber: string;
}

export type HandPaymentResult =
  | { outcome: 'not_registered' }
  | { outcome: 'rejected'; resultCode: string }
  | { outcome: 'confirmed'; transId: string; confirmationStatus?: number };

/**
 * C2B (REFERENCE §7.2): URL registration per shortcode, and "the customer pays the till by hand"
 * from the admin API, which calls validation (only when enabled for the shortcode, as Safaricom
 * does on request) and then confirmation. The MSISDN is sent as a SHA-256 hash, as observed in 2025.
 */
export class SimC2b {
  private registrations = new Map<string, C2bRegisterFields>();
  private validating = new Set<string>();
  private paid: SimReceipt[] = [];

  constructor(private readonly hooks: C2bHooks) {}

  reset(): void {
    this.registrations = new Map();
    this.validating = new Set();
    this.paid = [];
  }

  /** Re-registering replaces the URLs (the sandbox allows it, REFERENCE §8). */
  register(authorization: string | undefined, body: unknown): SimAnswer {
    const refused = this.hooks.refusal(authorization);
    if (refused) return refused;
    if (!isRecord(body)) return envelope(400, '400.002.05', 'Invalid Request Payload');
    const checked = checkC2bRegister(body);
    if (!checked.ok) return envelope(400, checked.errorCode, checked.errorMessage);
    if (!this.hooks.accountOf(checked.value.shortcode)) {
      return envelope(400, '400.002.02', 'Bad Request - Invalid ShortCode');
    }
    this.registrations.set(checked.value.shortcode, checked.value);
    return {
      status: 200,
      body: {
        OriginatorCoversationID: randomBytes(8).toString('hex'),
        ResponseCode: '0',
        ResponseDescription: 'Success',
      },
    };
  }

  registration(shortcode: string): C2bRegisterFields | undefined {
    return this.registrations.get(shortcode);
  }

  setValidation(shortcode: string, enabled: boolean): void {
    if (enabled) this.validating.add(shortcode);
    else this.validating.delete(shortcode);
  }

  receipts(): SimReceipt[] {
    return [...this.paid];
  }

  async pay(p: HandPayment): Promise<HandPaymentResult> {
    const reg = this.registrations.get(p.shortCode);
    const account = this.hooks.accountOf(p.shortCode);
    if (!reg || !account) return { outcome: 'not_registered' };
    const at = new Date();
    const transId = receiptNumber(at);
    const body = notification(p, account.kind, transId, at);
    if (this.validating.has(p.shortCode)) {
      const v = await this.hooks.poster.post({
        kind: 'c2b_validation',
        command: 'C2B',
        conversationId: transId,
        url: reg.validationUrl,
        resultCode: '',
        body,
      });
      const answered =
        v.outcome === 'delivered' && isRecord(v.response)
          ? String(v.response.ResultCode ?? '')
          : '';
      const accepted = answered ? answered === '0' : reg.responseType === 'Completed';
      if (!accepted) return { outcome: 'rejected', resultCode: answered || 'no answer' };
    }
    this.paid.push({
      receipt: transId,
      shortcode: account.shortcode,
      partyB: p.shortCode,
      amount: p.amount,
      phone: p.phone,
      completedAt: at.toISOString(),
      transactionType: account.kind === 'till' ? 'CustomerBuyGoodsOnline' : 'CustomerPayBillOnline',
      accountReference: p.billRefNumber,
    });
    const c = await this.hooks.poster.post({
      kind: 'c2b_confirmation',
      command: 'C2B',
      conversationId: transId,
      url: reg.confirmationUrl,
      resultCode: '0',
      body: { ...body, OrgAccountBalance: '228037.00' },
    });
    return { outcome: 'confirmed', transId, confirmationStatus: c.httpStatus };
  }
}

/** The Validation/Confirmation body: every value a string (REFERENCE §7.2). */
function notification(
  p: HandPayment,
  kind: 'paybill' | 'till',
  transId: string,
  at: Date,
): Record<string, string> {
  return {
    TransactionType: kind === 'till' ? 'Buy Goods' : 'Pay Bill',
    TransID: transId,
    TransTime: eatTimestamp(at),
    TransAmount: `${p.amount}.00`,
    BusinessShortCode: p.shortCode,
    BillRefNumber: p.billRefNumber,
    InvoiceNumber: '',
    OrgAccountBalance: '',
    ThirdPartyTransID: '',
    MSISDN: createHash('sha256').update(p.phone).digest('hex'),
    FirstName: 'Simulated',
    MiddleName: '',
    LastName: 'Customer',
  };
}
