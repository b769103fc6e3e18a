import { envelope, isAnswer, type SimAnswer } from './sim-answer';
import { merchantOf, parsedBody, type StkState } from './sim-stk-request';
import { checkQuery } from './sim-validation';

/** The answer to one STK query: the outcome of a completed push, or "still processing". */
export function queryAnswer(
  s: StkState,
  authorization: string | undefined,
  raw: unknown,
): SimAnswer {
  const denied = s.tokens.refusal(authorization, s.random() < s.faults.invalidTokenRate);
  if (denied) return denied;
  const body = parsedBody(raw);
  if (isAnswer(body)) return body;
  const checked = checkQuery(body);
  if (!checked.ok) return envelope(400, checked.errorCode, checked.errorMessage);
  const f = checked.value;
  const account = merchantOf(s.accounts, f);
  if (isAnswer(account)) return account;
  if (s.random() < s.faults.query500Rate) {
    return envelope(500, '500.003.1001', 'Internal Server Error');
  }
  if (s.random() < s.faults.query429Rate) {
    return envelope(429, '500.003.02', 'Error Occurred: Spike Arrest Violation');
  }
  const txn = s.payments.get(f.checkoutRequestId);
  if (!txn || txn.shortcode !== f.shortcode) {
    return envelope(400, '400.002.02', 'Bad Request - Invalid CheckoutRequestID');
  }
  if (txn.status === 'pending') {
    // requestId equals the CheckoutRequestID here (REFERENCE §5).
    const message = 'The transaction is being processed';
    return envelope(500, '500.001.1001', message, txn.checkoutRequestId);
  }
  return {
    status: 200,
    body: {
      ResponseCode: '0',
      ResponseDescription: 'The service request has been accepted successfully',
      MerchantRequestID: txn.merchantRequestId,
      CheckoutRequestID: txn.checkoutRequestId,
      ResultCode: String(txn.resultCode),
      ResultDesc: txn.resultDesc,
    },
  };
}
