export interface DarajaCredentials {
  /** e.g. http://127.0.0.1:3100 (simulator) or https://api.safaricom.co.ke */
  baseUrl: string;
  kind: 'paybill' | 'till';
  /** BusinessShortCode: the paybill number, or the store/HO number for a till. */
  shortcode: string;
  /** The paybill number (= shortcode) or the till number. */
  partyB: string;
  passkey: string;
  consumerKey: string;
  consumerSecret: string;
}

export interface StkPushInput {
  /** Whole KES, 1..250 000. */
  amount: number;
  /** 2547XXXXXXXX / 2541XXXXXXXX (other accepted forms are normalised). */
  phone: string;
  callbackUrl: string;
  /** Sanitised to letters and digits; at most 12 characters after that. */
  accountReference: string;
  /** Sanitised to letters, digits and spaces; at most 13 characters after that. */
  transactionDesc: string;
}

export interface StkPushAccepted {
  merchantRequestId: string;
  checkoutRequestId: string;
  responseDescription: string;
  customerMessage: string;
  raw: unknown;
  /** The body sent, without Password. */
  request: Record<string, unknown>;
}

export type CredentialCheck =
  | { ok: true }
  | { ok: false; reason: 'consumer_credentials' | 'unreachable' | 'unknown'; message: string };

/** Structured, pino-compatible enough; meta never carries credentials, tokens or full phones. */
export interface DarajaLogger {
  debug(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
}

export interface RetryPolicy {
  /** Total attempts, first one included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}
