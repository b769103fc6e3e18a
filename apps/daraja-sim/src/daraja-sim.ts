import { CallbackSender } from './callback-sender';
import type { ScenarioSpec } from './scenarios';
import { envelope, isRecord, type SimAnswer } from './sim-answer';
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
import { phoneOf, pushAnswer } from './sim-stk-push';
import { queryAnswer } from './sim-stk-query';
import { SimC2b } from './sim-c2b';
import type { SimReceipt } from './sim-ledger';
import { SimResultApis } from './sim-result-apis';
import { SimResultPoster } from './sim-result-poster';
import type { StkState } from './sim-stk-request';

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
 * The answers to STK push and query are decided in sim-stk-push.ts and sim-stk-query.ts.
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
  /** Results of Transaction Status, Reversal, Account Balance, and C2B notifications. */
  readonly poster = new SimResultPoster();
  readonly results: SimResultApis;
  readonly c2b: SimC2b;

  constructor(private readonly boot: DarajaSimOptions) {
    const refusal = (authorization: string | undefined) =>
      this.tokens.refusal(authorization, false);
    this.results = new SimResultApis({
      refusal,
      knownParty: (party) => this.accountOf(party) !== undefined,
      findReceipt: (receipt) => this.findReceipt(receipt),
      schedule: (ms, run) => this.schedule(ms, run),
      delayMs: () => this.settings.callbackDelayMs,
      poster: this.poster,
    });
    this.c2b = new SimC2b({ refusal, accountOf: (n) => this.accountOf(n), poster: this.poster });
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
    this.results.reset();
    this.c2b.reset();
    this.poster.reset();
  }

  close(): void {
    this.clearTimers();
    this.sender.close();
    this.poster.close();
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
    const answer = pushAnswer(this.stkState(), authorization, body);
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
    const answer = queryAnswer(this.stkState(), authorization, body);
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
      this.tokens.refusal(authorization, false) ??
      pullAnswer([...this.payments.list(), ...this.c2b.receipts()], body);
    this.log.request('POST', '/pulltransactions/v1/query', 'other', answer, { body });
    return answer;
  }

  /** The configured latency fault, for answers outside STK (result APIs, C2B register). */
  async answerLatency(): Promise<void> {
    await this.latency();
  }

  /** Logs a result-API or C2B request (SecurityCredential left out) with its answer. */
  recordRequest(path: string, answer: SimAnswer, body: unknown): SimAnswer {
    const shown = isRecord(body) ? { ...body, SecurityCredential: undefined } : body;
    this.log.request('POST', path, 'other', answer, { body: shown });
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

  /** Every completed payment into the simulated accounts, STK and C2B, by receipt. */
  findReceipt(receipt: string): SimReceipt | undefined {
    const wanted = receipt.toUpperCase();
    const stk = this.payments.list().find((t) => t.receipt === wanted && t.completedAt);
    if (stk?.receipt && stk.completedAt) {
      return { ...stk, receipt: stk.receipt, completedAt: stk.completedAt };
    }
    return this.c2b.receipts().find((r) => r.receipt === wanted);
  }

  /** The account a shortcode, store number or till number belongs to. */
  accountOf(number: string): SimAccount | undefined {
    return (
      this.accounts.get(number) ?? [...this.accounts.values()].find((a) => a.tills.includes(number))
    );
  }

  // ---- internals --------------------------------------------------------------------------

  /** What an STK push or query reads, as it stands now (faults and settings change at run time). */
  private stkState(): StkState {
    return {
      settings: this.settings,
      faults: this.faults,
      random: () => this.random(),
      accounts: this.accounts,
      tokens: this.tokens,
      overrides: this.overrides,
      payments: this.payments,
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
