import { scenarioForPhone, type ScenarioSpec } from './scenarios';
import { LOCKED, envelope, isAnswer, isRecord, type SimAnswer } from './sim-answer';
import type { SimTransaction } from './sim-records';
import type { SimAccount } from './sim-settings';
import { merchantOf, parsedBody, type StkState } from './sim-stk-request';
import { checkPush, type PushFields } from './sim-validation';

/** The answer to one STK push; an accepted push also creates the simulated transaction. */
export function pushAnswer(
  s: StkState,
  authorization: string | undefined,
  raw: unknown,
): SimAnswer & { txn?: SimTransaction } {
  const denied = s.tokens.refusal(authorization, s.random() < s.faults.invalidTokenRate);
  if (denied) return denied;
  const body = parsedBody(raw);
  if (isAnswer(body)) return body;
  const checked = checkPush(body);
  if (!checked.ok) return envelope(400, checked.errorCode, checked.errorMessage);
  const f = checked.value;
  const account = merchantOf(s.accounts, f);
  if (isAnswer(account)) return account;
  const longRef = f.accountReference.length > 12;
  if (longRef && s.settings.longAccountReference === 'reject') {
    return envelope(400, '400.002.02', 'Bad Request - Invalid AccountReference');
  }
  const scenario = scenarioFor(f, account, longRef, s.overrides);
  if (scenario.push === 'subscriber_locked') return envelope(500, '500.001.1001', LOCKED);
  const fault500 = s.random() < s.faults.push500Rate;
  if (fault500 && s.faults.push500Mode === 'before_prompt') {
    return envelope(500, '500.003.1001', 'Internal Server Error');
  }
  const prompt = scenario.name !== 'product_mismatch' && scenario.name !== 'prompt_too_long';
  const live = prompt ? s.payments.livePromptOn(f.phone) : undefined;
  if (live) {
    if (s.settings.concurrentPushPolicy === 'reject') {
      return envelope(500, '500.001.1001', LOCKED);
    }
    s.payments.supersede(live);
  }
  const txn = s.payments.create(f, scenario, prompt);
  if (scenario.push === 'http_500_after_prompt' || fault500) {
    return { ...envelope(500, '500.003.1001', 'Internal Server Error'), txn };
  }
  const accepted = 'Success. Request accepted for processing';
  return {
    status: 200,
    body: {
      MerchantRequestID: txn.merchantRequestId,
      CheckoutRequestID: txn.checkoutRequestId,
      ResponseCode: '0',
      ResponseDescription: accepted,
      CustomerMessage: accepted,
    },
    txn,
  };
}

/** Paybill/till mix-ups and long references are accepted, then fail in the callback (§2.3, §9). */
function scenarioFor(
  f: PushFields,
  account: SimAccount,
  longRef: boolean,
  overrides: ReadonlyMap<string, ScenarioSpec>,
): ScenarioSpec {
  const till = account.kind === 'till';
  const wantType = till ? 'CustomerBuyGoodsOnline' : 'CustomerPayBillOnline';
  const partyOk = till ? account.tills.includes(f.partyB) : f.partyB === account.shortcode;
  const failing = (name: string, resultCode: number | string, resultDesc: string) =>
    ({
      name,
      description: resultDesc,
      resultCode,
      resultDesc,
      push: 'accept',
      delivery: 'once',
    }) as const;
  if (f.transactionType !== wantType) {
    const desc = 'The request is not permitted according to product assignment.';
    return failing('product_mismatch', 2028, desc);
  }
  if (!partyOk) return failing('product_mismatch', 'SFC_IC0003', 'The operator does not exist.');
  if (longRef) {
    return failing('prompt_too_long', 1025, 'An error occurred while sending a push request.');
  }
  return scenarioForPhone(f.phone, overrides);
}

/** The phone of a push body for the request log, even when the push was refused. */
export function phoneOf(body: unknown): string | undefined {
  if (!isRecord(body)) return undefined;
  const v = body.PhoneNumber ?? body.PartyA;
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}
