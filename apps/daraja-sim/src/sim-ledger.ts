/** A completed M-Pesa payment into a shortcode, whether it came by STK push or C2B. */
export interface SimReceipt {
  receipt: string;
  /** The account's BusinessShortCode (paybill, or store number for a till). */
  shortcode: string;
  /** The paybill or till the customer paid. */
  partyB: string;
  amount: number;
  phone: string;
  completedAt: string;
  transactionType: string;
  accountReference: string;
}

/** One POST of a result (or a queue timeout) by the simulator, as tests see it. */
export interface ResultDelivery {
  seq: number;
  at: string;
  kind: 'result' | 'queue_timeout' | 'c2b_validation' | 'c2b_confirmation';
  command: string;
  conversationId: string;
  url: string;
  resultCode: string;
  outcome: 'delivered' | 'failed';
  httpStatus?: number;
  body: unknown;
  response?: unknown;
}
