import { envelope, isRecord, type SimAnswer } from './sim-answer';
import type { SimTransaction } from './sim-records';

/** Rows per page; the sim pages like Daraja does, by `OffSetValue`. */
export const PULL_PAGE_SIZE = 1_000;

/** `YYYY-MM-DD HH:mm:ss` in EAT → epoch ms. */
function parseEat(value: unknown): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(String(value ?? ''));
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  return Date.UTC(y, mo - 1, d, h - 3, mi, s);
}

function maskedMsisdn(phone: string): string {
  return `${phone.slice(0, 4)} ***** ${phone.slice(-3)}`;
}

/**
 * Pull Transactions (REFERENCE §7.3): the shortcode's completed payments between StartDate and
 * EndDate, as C2B statement rows. Registration is not simulated: any known shortcode may pull.
 */
export type PullSource = Pick<
  SimTransaction,
  | 'shortcode'
  | 'receipt'
  | 'completedAt'
  | 'phone'
  | 'transactionType'
  | 'accountReference'
  | 'amount'
>;

export function pullAnswer(transactions: PullSource[], body: unknown): SimAnswer {
  if (!isRecord(body)) return envelope(400, '400.002.05', 'Invalid Request Payload');
  const shortcode = String(body.ShortCode ?? '');
  const from = parseEat(body.StartDate);
  const to = parseEat(body.EndDate);
  const offset = Number(body.OffSetValue ?? '0');
  if (!/^\d{5,7}$/.test(shortcode)) {
    return envelope(400, '400.002.02', 'Bad Request - Invalid ShortCode');
  }
  if (from === undefined || to === undefined || !Number.isInteger(offset) || offset < 0) {
    return envelope(400, '400.002.02', 'Bad Request - Invalid Date');
  }
  const rows = transactions
    .filter((t) => t.shortcode === shortcode && t.receipt && t.completedAt)
    .filter((t) => {
      const at = Date.parse(t.completedAt ?? '');
      return at >= from && at <= to + 999;
    })
    .sort((a, b) => (a.completedAt ?? '').localeCompare(b.completedAt ?? ''))
    .slice(offset, offset + PULL_PAGE_SIZE)
    .map((t) => ({
      transactionId: t.receipt,
      trxDate: t.completedAt,
      msisdn: maskedMsisdn(t.phone),
      sender: 'MPESA',
      transactiontype:
        t.transactionType === 'CustomerBuyGoodsOnline'
          ? 'c2b-buy-goods-debit'
          : 'c2b-pay-bill-debit',
      billreference: t.accountReference,
      amount: String(t.amount),
      organizationname: 'Simulated Merchant',
    }));
  return {
    status: 200,
    body: {
      ResponseRefID: `${Date.now().toString(16)}-sim`,
      ResponseCode: '1000',
      ResponseMessage: 'Success',
      Response: [rows],
    },
  };
}
