import { ValidationError } from '@malipo/common';
import type { DarajaCredentials } from './daraja.types';
import { securityCredential, type InitiatorCredentials } from './security-credential';
import { MAX_AMOUNT, checkCallbackUrl } from './stk-request';

/** Where Daraja posts the result, and where it posts when the request times out in its queue. */
export interface ResultUrls {
  resultUrl: string;
  queueTimeoutUrl: string;
}

export interface TransactionStatusInput extends ResultUrls {
  /** The M-Pesa receipt (REFERENCE §12: a receipt or OriginalConversationID, never a checkout id). */
  transactionId: string;
  remarks?: string;
  occasion?: string;
}

export interface ReversalInput extends ResultUrls {
  transactionId: string;
  /** The full amount of the receipt: Malipo never asks for a partial reversal (docs). */
  amount: number;
  remarks: string;
  occasion?: string;
}

export type AccountBalanceInput = ResultUrls & { remarks?: string };

export interface C2bRegisterInput {
  confirmationUrl: string;
  /** Only called when Safaricom enabled external validation for the shortcode. */
  validationUrl: string;
  /** What Daraja does when the validation URL does not answer in time. */
  responseType: 'Completed' | 'Cancelled';
}

/** Remarks and Occasion: 2–100 characters of text Daraja accepts. */
function remarks(raw: string | undefined, fallback: string): string {
  const cleaned = (raw ?? '')
    .replace(/[^A-Za-z0-9 .,-]/g, '')
    .trim()
    .slice(0, 100);
  return cleaned.length >= 2 ? cleaned : fallback;
}

function checkUrls(urls: ResultUrls): void {
  checkCallbackUrl(urls.resultUrl, 'resultUrl');
  checkCallbackUrl(urls.queueTimeoutUrl, 'queueTimeoutUrl');
}

/** The fields every initiator call shares; SecurityCredential is left out of `redacted`. */
function initiatorFields(initiator: InitiatorCredentials): {
  secret: Record<string, string>;
  shown: Record<string, string>;
} {
  const credential = securityCredential(initiator.initiatorPassword, initiator.certificatePem);
  return {
    secret: { Initiator: initiator.initiatorName, SecurityCredential: credential },
    shown: { Initiator: initiator.initiatorName },
  };
}

export interface BuiltRequest {
  body: Record<string, unknown>;
  /** The body as it may be stored and logged: no SecurityCredential. */
  redacted: Record<string, unknown>;
}

function built(initiator: InitiatorCredentials, fields: Record<string, unknown>): BuiltRequest {
  const { secret, shown } = initiatorFields(initiator);
  return { body: { ...secret, ...fields }, redacted: { ...shown, ...fields } };
}

/** Transaction Status (REFERENCE §7.1), with the no-space key names the SDKs use. */
export function buildTransactionStatusRequest(
  creds: DarajaCredentials,
  initiator: InitiatorCredentials,
  input: TransactionStatusInput,
): BuiltRequest {
  checkUrls(input);
  if (!/^[A-Za-z0-9]{8,20}$/.test(input.transactionId)) {
    throw new ValidationError('transactionId must be an M-Pesa receipt', {
      field: 'transactionId',
    });
  }
  return built(initiator, {
    CommandID: 'TransactionStatusQuery',
    TransactionID: input.transactionId,
    PartyA: creds.shortcode,
    IdentifierType: '4',
    ResultURL: input.resultUrl,
    QueueTimeOutURL: input.queueTimeoutUrl,
    Remarks: remarks(input.remarks, 'Status check'),
    Occasion: remarks(input.occasion, 'Verify'),
  });
}

/** Reversal (REFERENCE §7.4); `RecieverIdentifierType` is misspelled on purpose, as Daraja wants. */
export function buildReversalRequest(
  creds: DarajaCredentials,
  initiator: InitiatorCredentials,
  input: ReversalInput,
): BuiltRequest {
  checkUrls(input);
  if (!Number.isInteger(input.amount) || input.amount < 1 || input.amount > MAX_AMOUNT) {
    throw new ValidationError('amount must be whole KES 1..250000', { field: 'amount' });
  }
  return built(initiator, {
    CommandID: 'TransactionReversal',
    TransactionID: input.transactionId,
    Amount: String(input.amount),
    ReceiverParty: creds.shortcode,
    RecieverIdentifierType: '11',
    ResultURL: input.resultUrl,
    QueueTimeOutURL: input.queueTimeoutUrl,
    Remarks: remarks(input.remarks, 'Reversal'),
    Occasion: remarks(input.occasion, 'Reversal'),
  });
}

/** Account Balance (REFERENCE §7.5). */
export function buildAccountBalanceRequest(
  creds: DarajaCredentials,
  initiator: InitiatorCredentials,
  input: AccountBalanceInput,
): BuiltRequest {
  checkUrls(input);
  return built(initiator, {
    CommandID: 'AccountBalance',
    PartyA: creds.shortcode,
    IdentifierType: '4',
    ResultURL: input.resultUrl,
    QueueTimeOutURL: input.queueTimeoutUrl,
    Remarks: remarks(input.remarks, 'Balance'),
  });
}

/** C2B Register URL (REFERENCE §7.2); the till number for a till, the paybill otherwise. */
export function buildC2bRegisterRequest(
  creds: DarajaCredentials,
  input: C2bRegisterInput,
): Record<string, unknown> {
  checkCallbackUrl(input.confirmationUrl, 'confirmationUrl');
  checkCallbackUrl(input.validationUrl, 'validationUrl');
  return {
    ShortCode: creds.partyB,
    ResponseType: input.responseType,
    ConfirmationURL: input.confirmationUrl,
    ValidationURL: input.validationUrl,
  };
}
