import type { PaymentView } from '@malipo/payments';

/**
 * The /terminals wire contract, shared by the gateway, the publisher and the terminal client.
 * Type-only imports and constants: a POS bundle that uses the client pulls in nothing else.
 */
export const TERMINALS_NAMESPACE = '/terminals';

/** Server → client events. */
export const PAYMENT_UPDATED = 'payment.updated';
export const RESUMED = 'resumed';
export const RESYNC_REQUIRED = 'resync_required';
export const KEY_REVOKED = 'key_revoked';
/** Money paid to the till by hand that matched no order: a hint, the list is GET /v1/incoming-payments. */
export const INCOMING_PAYMENT = 'incoming_payment.unmatched';
/** A customer account's balance moved (issue 17): a hint, the statement is the record. */
export const ACCOUNT_BALANCE = 'account.balance';
/** Client → server messages. */
export const RESUME = 'resume';
export const JOIN = 'join';

export type { PaymentView };

export interface PaymentUpdated {
  /** The tenant's event sequence number (gap-free per tenant; a terminal sees a subset). */
  seq: number;
  event: { type: string; from: string | null; to: string };
  /** The REST view of the payment (phone always masked over the socket). */
  payment: PaymentView;
  /** Present on events sent by a resume: `payment` is then the payment as it is now. */
  replayed?: true;
}

export interface Resumed {
  /** The lastSeq the resume started from. */
  from: number;
  /** Events sent by this resume. */
  replayed: number;
  /** Everything up to this seq has been sent; live events follow. */
  seq: number;
}

export type ResyncReason = 'too_many_events' | 'too_old' | 'ahead_of_server';

export interface ResyncRequired {
  reason: ResyncReason;
  /** Refetch over REST, then continue from this seq (live events after it follow). */
  seq: number;
}

export interface IncomingPaymentNotice {
  id: string;
  channelId: string;
  receipt: string;
  amount: number;
  billRef: string;
  transactedAt: string;
}

export interface AccountBalanceNotice {
  accountId: string;
  /** Whole KES after the entry. */
  balance: number;
  entry: {
    id: string;
    type: 'DEPOSIT' | 'CHARGE' | 'REVERSAL' | 'ADJUSTMENT';
    amount: number;
    balanceBefore: number;
    balanceAfter: number;
    paymentId: string | null;
    orderRef: string | null;
    receipt: string | null;
    journalId: string;
    at: string;
  };
}

export interface ResumeRequest {
  lastSeq: number;
}

export type Ack<T = object> =
  ({ ok: true } & T) | { ok: false; error: { code: string; message: string } };

/** `connect_error` data when the gateway refuses a handshake. */
export interface RefusalData {
  code: string;
  message: string;
}

export interface ServerToClientEvents {
  [PAYMENT_UPDATED]: (e: PaymentUpdated) => void;
  [RESUMED]: (e: Resumed) => void;
  [RESYNC_REQUIRED]: (e: ResyncRequired) => void;
  [KEY_REVOKED]: (e: RefusalData) => void;
  [INCOMING_PAYMENT]: (e: IncomingPaymentNotice) => void;
  [ACCOUNT_BALANCE]: (e: AccountBalanceNotice) => void;
}

export interface ClientToServerEvents {
  [RESUME]: (req: ResumeRequest, ack?: (a: Ack<Resumed>) => void) => void;
  [JOIN]: (req: { room: string }, ack?: (a: Ack) => void) => void;
}

/** Handshake `auth` object; without a token, the console's session cookie authenticates. */
export interface HandshakeAuth {
  token?: string;
  lastSeq?: number;
}
