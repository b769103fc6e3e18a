import type { Checked } from './sim-validation';
import { validCallbackUrl } from './sim-validation';

/** What every result-based request carries (REFERENCE §7.1, §7.4, §7.5). */
export interface InitiatorRequest {
  command: 'TransactionStatusQuery' | 'TransactionReversal' | 'AccountBalance';
  initiator: string;
  securityCredential: string;
  /** PartyA, or ReceiverParty for a reversal. */
  party: string;
  resultUrl: string;
  queueTimeoutUrl: string;
  remarks: string;
  occasion: string;
  /** Transaction Status and Reversal only. */
  transactionId: string;
  /** Reversal only. */
  amount: number;
}

const bad = (field: string): { ok: false; errorCode: string; errorMessage: string } => ({
  ok: false,
  errorCode: '400.002.02',
  errorMessage: `Bad Request - Invalid ${field}`,
});

const text = (v: unknown): string =>
  typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '';

function checkCommon(
  body: Record<string, unknown>,
  command: InitiatorRequest['command'],
): Checked<Omit<InitiatorRequest, 'party' | 'transactionId' | 'amount'>> {
  if (!text(body.Initiator)) return bad('Initiator');
  if (!text(body.SecurityCredential)) return bad('SecurityCredential');
  if (body.CommandID !== command) return bad('CommandID');
  if (!validCallbackUrl(body.ResultURL)) return bad('ResultURL');
  if (!validCallbackUrl(body.QueueTimeOutURL)) return bad('QueueTimeOutURL');
  const remarks = text(body.Remarks);
  if (remarks.length > 100 || text(body.Occasion).length > 100) return bad('Remarks');
  return {
    ok: true,
    value: {
      command,
      initiator: text(body.Initiator),
      securityCredential: text(body.SecurityCredential),
      resultUrl: body.ResultURL,
      queueTimeoutUrl: body.QueueTimeOutURL,
      remarks,
      occasion: text(body.Occasion),
    },
  };
}

const SHORTCODE = /^\d{5,8}$/;
const RECEIPT = /^[A-Za-z0-9]{8,20}$/;

/** Transaction Status: `TransactionID` (the no-space spelling, REFERENCE §7.1 ⚠). */
export function checkTransactionStatus(body: Record<string, unknown>): Checked<InitiatorRequest> {
  const common = checkCommon(body, 'TransactionStatusQuery');
  if (!common.ok) return common;
  if (!RECEIPT.test(text(body.TransactionID))) return bad('TransactionID');
  if (!SHORTCODE.test(text(body.PartyA))) return bad('PartyA');
  if (!['1', '2', '4'].includes(text(body.IdentifierType))) return bad('IdentifierType');
  const party = text(body.PartyA);
  return {
    ok: true,
    value: { ...common.value, party, transactionId: text(body.TransactionID), amount: 0 },
  };
}

/** Reversal: `RecieverIdentifierType` must be spelled the way Daraja misspells it (REFERENCE §7.4). */
export function checkReversal(body: Record<string, unknown>): Checked<InitiatorRequest> {
  const common = checkCommon(body, 'TransactionReversal');
  if (!common.ok) return common;
  if (!RECEIPT.test(text(body.TransactionID))) return bad('TransactionID');
  const amount = Number(text(body.Amount));
  if (!Number.isInteger(amount) || amount < 1 || amount > 250_000) return bad('Amount');
  if (!SHORTCODE.test(text(body.ReceiverParty))) return bad('ReceiverParty');
  if (text(body.RecieverIdentifierType) !== '11') return bad('RecieverIdentifierType');
  if (common.value.remarks.length < 2) return bad('Remarks');
  const party = text(body.ReceiverParty);
  return {
    ok: true,
    value: { ...common.value, party, transactionId: text(body.TransactionID), amount },
  };
}

export function checkAccountBalance(body: Record<string, unknown>): Checked<InitiatorRequest> {
  const common = checkCommon(body, 'AccountBalance');
  if (!common.ok) return common;
  if (!SHORTCODE.test(text(body.PartyA))) return bad('PartyA');
  if (text(body.IdentifierType) !== '4') return bad('IdentifierType');
  return {
    ok: true,
    value: { ...common.value, party: text(body.PartyA), transactionId: '', amount: 0 },
  };
}

export interface C2bRegisterFields {
  shortcode: string;
  responseType: 'Completed' | 'Cancelled';
  confirmationUrl: string;
  validationUrl: string;
}

/** C2B Register URL (REFERENCE §7.2): ResponseType in sentence case, exactly. */
export function checkC2bRegister(body: Record<string, unknown>): Checked<C2bRegisterFields> {
  const shortcode = text(body.ShortCode);
  if (!SHORTCODE.test(shortcode)) return bad('ShortCode');
  if (body.ResponseType !== 'Completed' && body.ResponseType !== 'Cancelled') {
    return bad('ResponseType');
  }
  if (!validCallbackUrl(body.ConfirmationURL)) return bad('ConfirmationURL');
  if (!validCallbackUrl(body.ValidationURL)) return bad('ValidationURL');
  return {
    ok: true,
    value: {
      shortcode,
      responseType: body.ResponseType,
      confirmationUrl: body.ConfirmationURL,
      validationUrl: body.ValidationURL,
    },
  };
}
