import { CallbackSender } from './callback-sender';
import { scenarioForPhone, type ScenarioSpec } from './scenarios';
import { LOCKED, UnparsableBody, envelope, isAnswer, isRecord, type SimAnswer } from './sim-answer';
import { SimPayments, type Result } from './sim-payments';
import { SimLog } from './sim-log';
import type { CallbackRecord, RecordFilter, RequestRecord, SimTransaction } from './sim-records';
import {
  NO_FAULTS,
  SANDBOX_PAYBILL,
  SIM_TILL,
  makeRandom,
  type SimAccount,
  type SimFaults,
  type SimSettings,
} from './sim-settings';
import { SimTokens } from './sim-tokens';
import { pullAnswer } from './sim-pull';
import { checkPush, checkQuery, expectedPassword, type PushFields } from './sim-validation';

export { UnparsableBody, type SimAnswer } from './sim-answer';

export interface DarajaSimOptions {
  consumerKey: string;
  consumerSecret: string;
  callbackDelayMs: number;
  lateCallbackMs: number;
  tokenTtlSeconds: number;
}

// Unref'd: a delayed answer to a caller that is gone must not keep a stopping process alive.
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms).unref());

/**
 * The simulated Daraja: OAuth, STK push, STK query and callbacks (REFERENCE.md), with scenarios
 * by phone number and injectable faults. All state lives in memory; reset() restores boot state.
 */
export class DarajaSim {
  settings!: SimSettings;
  faults!: SimFaults;
  private random: () => number = Math.random;
  private accounts = new Map<string, SimAccount>();
  private readonly tokens = new SimTokens();
  private readonly overrides = new Map<string, ScenarioSpec>();
  private readonly payments: SimPayments;
  private readonly sender: CallbackSender;
  private readonly log = new SimLog();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly boot: DarajaSimOptions) {
    this.sender = new CallbackSender({
      schedule: (ms, run) => this.schedule(ms, run),
      record: (entry) => this.log.callback(entry),
      faults: () => this.faults,
      random: () => this.random(),
    });
    this.payments = new SimPayments(
      this.sender,
      (ms, run) => this.schedule(ms, run),
      () => this.settings,
    );
    this.reset();
  }

  reset(): void {
    this.clearTimers();
    this.settings = {
      callbackDelayMs: this.boot.callbackDelayMs,
      lateCallbackMs: this.boot.lateCallbackMs,
      tokenTtlSeconds: this.boot.tokenTtlSeconds,
      expiresInType: 'string',
      concurrentPushPolicy: 'supersede',
      longAccountReference: 'callback_1025',
    };
    this.faults = { ...NO_FAULTS };
    this.random = Math.random;
    this.accounts = new Map(
      [SANDBOX_PAYBILL, SIM_TILL].map((a) => [a.shortcode, { ...a, tills: [...a.tills] }]),
    );
    this.tokens.reset(this.boot.consumerKey, this.boot.consumerSecret);
    this.overrides.clear();
    this.payments.reset();
    this.log.reset();
  }

  close(): void {
    this.clearTimers();
    this.sender.close();
  }

  // ---- Daraja endpoints ------------------------------------------------------------------

  async oauth(grantType: unknown, authorization: string | undefined): Promise<SimAnswer> {
    await this.latency();
    const { key, valid } = this.tokens.consumerKeyOf(authorization);
    let answer: SimAnswer;
    if (grantType !== 'client_credentials') {
      answer = envelope(400, '400.008.02', 'Invalid grant type passed');
    } else if (!key || !valid) {
      answer = envelope(400, '400.008.01', 'Invalid Authentication passed');
    } else {
      const ttl = this.settings.tokenTtlSeconds;
      const access_token = this.tokens.issue(key, ttl);
      const expires_in = this.settings.expiresInType === 'number' ? ttl : String(ttl);
      answer = { status: 200, body: { access_token, expires_in } };
    }
    this.log.request('GET', '/oauth/v1/generate', 'oauth', answer, { consumerKey: key });
    return answer;
  }

  async stkPush(authorization: string | undefined, body: unknown): Promise<SimAnswer> {
    await this.latency();
    const answer = this.push(authorization, body);
    const { txn } = answer;
    this.log.request('POST', '/mpesa/stkpush/v1/processrequest', 'stk_push', answer, {
      phone: txn?.phone ?? phoneOf(body),
      checkoutRequestId: txn?.checkoutRequestId,
      body,
    });
    if (this.faults.pushAnswerDelayMs > 0) await sleep(this.faults.pushAnswerDelayMs);
    return { status: answer.status, body: answer.body };
  }

  async stkQuery(authorization: string | undefined, body: unknown): Promise<SimAnswer> {
    await this.latency();
    const answer = this.query(authorization, body);
    const id =
      isRecord(body) && typeof body.CheckoutRequestID === 'string'
        ? body.CheckoutRequestID
        : undefined;
    this.log.request('POST', '/mpesa/stkpushquery/v1/query', 'stk_query', answer, {
      checkoutRequestId: id,
      phone: id ? this.payments.get(id)?.phone : undefined,
      body,
    });
    return answer;
  }

  /** Pull Transactions (REFERENCE §7.3): completed payments of a shortcode in a time range. */
  async pullTransactions(authorization: string | undefined, body: unknown): Promise<SimAnswer> {
    await this.latency();
    const answer =
      this.tokens.refusal(authorization, false) ?? pullAnswer(this.payments.list(), body);
    this.log.request('POST', '/pulltransactions/v1/query', 'other', answer, { body });
    return answer;
  }

  methodNotAllowed(): SimAnswer {
    return envelope(405, '405.001', 'Method Not Allowed');
  }

  notFound(method: string, path: string): SimAnswer {
    const answer = envelope(404, '404.001.01', 'Resource not found');
    this.log.request(method, path, 'other', answer, {});
    return answer;
  }

  // ---- admin ------------------------------------------------------------------------------

  setScenario(phone: string, spec: ScenarioSpec): void {
    this.overrides.set(phone, spec);
  }
  clearScenario(phone: string): void {
    this.overrides.delete(phone);
  }
  scenarioOverrides(): Record<string, ScenarioSpec> {
    return Object.fromEntries(this.overrides);
  }
  setFaults(patch: Partial<SimFaults>): SimFaults {
    this.faults = { ...this.faults, ...defined(patch) };
    this.random = makeRandom(this.faults.seed);
    return this.faults;
  }
  setSettings(patch: Partial<SimSettings>): SimSettings {
    this.settings = { ...this.settings, ...defined(patch) };
    return this.settings;
  }
  addAccount(account: SimAccount): void {
    this.accounts.set(account.shortcode, { ...account, tills: [...account.tills] });
  }
  listAccounts(): SimAccount[] {
    return [...this.accounts.values()].map((a) => ({ ...a, passkey: `${a.passkey.slice(0, 4)}…` }));
  }
  addCredentials(consumerKey: string, consumerSecret: string): void {
    this.tokens.addCredentials(consumerKey, consumerSecret);
  }
  /** Every issued token stops working now (as if its hour were up). */
  expireTokens(): number {
    return this.tokens.expireAll();
  }
  requests(filter: RecordFilter = {}): RequestRecord[] {
    return this.log.requests(filter);
  }
  callbacks(filter: RecordFilter = {}): CallbackRecord[] {
    return this.log.callbacks(filter);
  }
  listTransactions(filter: RecordFilter = {}): SimTransaction[] {
    return this.payments.list(filter);
  }
  transaction(id: string): SimTransaction | undefined {
    return this.payments.get(id);
  }
  /** The customer acts now on a pending prompt (used with the `hold` scenario). */
  completeNow(id: string, result?: Result): SimTransaction | undefined {
    const txn = this.payments.get(id);
    if (txn) this.payments.complete(txn, result ?? txn.scenario);
    return txn;
  }

  // ---- internals --------------------------------------------------------------------------

  private parsed(body: unknown): Record<string, unknown> | SimAnswer {
    // A form-encoded body makes Daraja complain about the first field (REFERENCE §3.2 FAQ #9).
    if (body instanceof UnparsableBody && body.kind === 'not_json') {
      return envelope(400, '400.002.02', 'Bad Request - Invalid BusinessShortCode');
    }
    if (!isRecord(body)) return envelope(400, '400.002.05', 'Invalid Request Payload');
    return body;
  }

  private merchant(shortcode: string, password: string, timestamp: string): SimAccount | SimAnswer {
    const account = this.accounts.get(shortcode);
    if (!account) return envelope(500, '500.001.1001', 'Merchant does not exist');
    if (password !== expectedPassword(shortcode, account.passkey, timestamp)) {
      return envelope(500, '500.001.1001', 'Wrong credentials');
    }
    return account;
  }

  private push(
    authorization: string | undefined,
    raw: unknown,
  ): SimAnswer & { txn?: SimTransaction } {
    const denied = this.tokens.refusal(authorization, this.random() < this.faults.invalidTokenRate);
    if (denied) return denied;
    const body = this.parsed(raw);
    if (isAnswer(body)) return body;
    const checked = checkPush(body);
    if (!checked.ok) return envelope(400, checked.errorCode, checked.errorMessage);
    const f = checked.value;
    const account = this.merchant(f.shortcode, f.password, f.timestamp);
    if (isAnswer(account)) return account;
    const longRef = f.accountReference.length > 12;
    if (longRef && this.settings.longAccountReference === 'reject') {
      return envelope(400, '400.002.02', 'Bad Request - Invalid AccountReference');
    }
    const scenario = this.scenarioFor(f, account, longRef);
    if (scenario.push === 'subscriber_locked') return envelope(500, '500.001.1001', LOCKED);
    const fault500 = this.random() < this.faults.push500Rate;
    if (fault500 && this.faults.push500Mode === 'before_prompt') {
      return envelope(500, '500.003.1001', 'Internal Server Error');
    }
    const prompt = scenario.name !== 'product_mismatch' && scenario.name !== 'prompt_too_long';
    const live = prompt ? this.payments.livePromptOn(f.phone) : undefined;
    if (live) {
      if (this.settings.concurrentPushPolicy === 'reject') {
        return envelope(500, '500.001.1001', LOCKED);
      }
      this.payments.supersede(live);
    }
    const txn = this.payments.create(f, scenario, prompt);
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
  private scenarioFor(f: PushFields, account: SimAccount, longRef: boolean): ScenarioSpec {
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
    return scenarioForPhone(f.phone, this.overrides);
  }

  private query(authorization: string | undefined, raw: unknown): SimAnswer {
    const denied = this.tokens.refusal(authorization, this.random() < this.faults.invalidTokenRate);
    if (denied) return denied;
    const body = this.parsed(raw);
    if (isAnswer(body)) return body;
    const checked = checkQuery(body);
    if (!checked.ok) return envelope(400, checked.errorCode, checked.errorMessage);
    const f = checked.value;
    const account = this.merchant(f.shortcode, f.password, f.timestamp);
    if (isAnswer(account)) return account;
    if (this.random() < this.faults.query500Rate) {
      return envelope(500, '500.003.1001', 'Internal Server Error');
    }
    if (this.random() < this.faults.query429Rate) {
      return envelope(429, '500.003.02', 'Error Occurred: Spike Arrest Violation');
    }
    const txn = this.payments.get(f.checkoutRequestId);
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

  private async latency(): Promise<void> {
    if (this.faults.latencyMs > 0) await sleep(this.faults.latencyMs);
  }

  private schedule(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }

  private clearTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}

/** DTO instances carry every declared field, unset ones as undefined; a patch must skip those. */
function defined<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function phoneOf(body: unknown): string | undefined {
  if (!isRecord(body)) return undefined;
  const v = body.PhoneNumber ?? body.PartyA;
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}
