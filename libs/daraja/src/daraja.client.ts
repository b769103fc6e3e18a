import axios, { type AxiosInstance } from 'axios';
import type Redis from 'ioredis';
import { maskPhone } from '@malipo/common';
import { DarajaError } from './daraja.errors';
import {
  envelopeOf,
  errorFromAnswer,
  errorFromTransport,
  isRateLimited,
  isTokenRejection,
  type DarajaOperation,
  type HttpAnswer,
} from './daraja-response';
import type {
  CredentialCheck,
  DarajaCredentials,
  DarajaLogger,
  RetryPolicy,
  StkPushAccepted,
  StkPushInput,
} from './daraja.types';
import { OAuthTokenCache, type FreshToken } from './oauth-token.cache';
import { instrumentDarajaHttp } from './daraja-metrics';
import { buildStkPushRequest, buildStkQueryRequest } from './stk-request';
import type { StkOutcome } from './stk-outcome';
import { stkQueryOutcome } from './stk-query-outcome';

export interface DarajaClientDeps {
  /** ioredis, already key-prefixed; holds the shared token cache and its lock. */
  redis: Redis;
  http?: AxiosInstance;
  /** Per HTTP call. */
  timeoutMs?: number;
  logger?: DarajaLogger;
  /** OAuth and STK Query only; STK push is never retried. */
  retry?: Partial<RetryPolicy>;
  /** Token cache lock lifetime and poll step (tests shorten them). */
  tokenLockTtlMs?: number;
  tokenPollMs?: number;
  now?: () => Date;
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 250, maxDelayMs: 2_000 };
const SILENT: DarajaLogger = { debug: () => undefined, warn: () => undefined };

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const str = (v: unknown): string =>
  typeof v === 'string' || typeof v === 'number' ? String(v) : '';

/**
 * The only code in Malipo that speaks Daraja (REFERENCE.md). Usable without Nest; DarajaModule
 * provides one built from the shared Redis connection.
 */
export class DarajaClient {
  private readonly http: AxiosInstance;
  private readonly timeoutMs: number;
  private readonly logger: DarajaLogger;
  private readonly retry: RetryPolicy;
  private readonly tokens: OAuthTokenCache;
  private readonly now: () => Date;

  constructor(deps: DarajaClientDeps) {
    this.http = deps.http ?? axios.create();
    instrumentDarajaHttp(this.http);
    this.timeoutMs = deps.timeoutMs ?? 10_000;
    this.logger = deps.logger ?? SILENT;
    this.retry = { ...DEFAULT_RETRY, ...deps.retry };
    this.now = deps.now ?? (() => new Date());
    const lockTtlMs = deps.tokenLockTtlMs ?? this.timeoutMs * this.retry.attempts + 5_000;
    this.tokens = new OAuthTokenCache(deps.redis, (c) => this.fetchToken(c), {
      lockTtlMs,
      pollMs: deps.tokenPollMs ?? 100,
      logger: this.logger,
    });
  }

  /** A valid access token for these credentials, from the shared cache when possible. */
  getToken(creds: DarajaCredentials): Promise<string> {
    return this.tokens.get(creds);
  }

  /** Consumer key/secret check (OAuth only; a wrong passkey only shows on the first push). */
  async checkCredentials(creds: DarajaCredentials): Promise<CredentialCheck> {
    try {
      await this.getToken(creds);
      return { ok: true };
    } catch (error) {
      if (!(error instanceof DarajaError)) throw error;
      if (error.code === 'DARAJA.INVALID_CONSUMER_CREDENTIALS') {
        return { ok: false, reason: 'consumer_credentials', message: error.message };
      }
      const unreachable = ['DARAJA.UNREACHABLE', 'DARAJA.TIMEOUT', 'DARAJA.NETWORK'];
      const reason = unreachable.includes(error.code) ? 'unreachable' : 'unknown';
      return { ok: false, reason, message: error.message };
    }
  }

  /**
   * Sends one STK push. Never retried: a timeout or 5xx may already have put a prompt on the
   * phone. The one exception is a rejected access token, refused before any processing.
   */
  async stkPush(creds: DarajaCredentials, input: StkPushInput): Promise<StkPushAccepted> {
    const { body, redacted } = buildStkPushRequest(creds, input, this.now());
    const answer = await this.withToken(creds, 'stk push', (token) =>
      this.post(creds, '/mpesa/stkpush/v1/processrequest', body, token, 'stk push'),
    );
    const data = (answer.data ?? {}) as Record<string, unknown>;
    const accepted =
      answer.status === 200 &&
      str(data.ResponseCode) === '0' &&
      typeof data.CheckoutRequestID === 'string';
    this.logger.debug('daraja stk push answered', {
      status: answer.status,
      errorCode: envelopeOf(answer.data).errorCode,
      phone: maskPhone(String(redacted.PartyA)),
      // Not the CheckoutRequestID: Daraja embeds the customer's number in it (REFERENCE §10).
      merchantRequestId: data.MerchantRequestID,
    });
    if (!accepted) {
      if (answer.status === 200) {
        throw new DarajaError({
          code: 'DARAJA.REJECTED',
          message: `Daraja stk push not accepted: ResponseCode ${str(data.ResponseCode) || '?'}`,
          retryable: false,
          requestMayHaveReachedDaraja: true,
          httpStatus: 200,
          errorCode: str(data.ResponseCode) || undefined,
          errorMessage: str(data.ResponseDescription) || undefined,
        });
      }
      throw errorFromAnswer(answer, 'stk push');
    }
    return {
      merchantRequestId: str(data.MerchantRequestID),
      checkoutRequestId: str(data.CheckoutRequestID),
      responseDescription: str(data.ResponseDescription),
      customerMessage: str(data.CustomerMessage),
      raw: answer.data,
      request: redacted,
    };
  }

  /**
   * Asks Daraja how a push ended. "Still processing", 4999 and rate limits are `pending`;
   * network errors and 5xx are retried with backoff, then thrown as retryable.
   */
  async stkQuery(creds: DarajaCredentials, checkoutRequestId: string): Promise<StkOutcome> {
    return this.withRetry('stk query', async (last) => {
      const res = await this.withToken(creds, 'stk query', (token) =>
        this.post(
          creds,
          '/mpesa/stkpushquery/v1/query',
          buildStkQueryRequest(creds, checkoutRequestId, this.now()),
          token,
          'stk query',
        ),
      );
      // A rate limit is worth another try now; if the last try is still limited, it is pending.
      if (isRateLimited(res) && !last) throw errorFromAnswer(res, 'stk query');
      return stkQueryOutcome(res);
    });
  }

  /**
   * One POST with the shared token handling and no retry, for the result-based APIs
   * (ResultApiClient), whose callers decide what a lost answer means.
   */
  postOnce(
    creds: DarajaCredentials,
    path: string,
    body: Record<string, unknown>,
    op: DarajaOperation,
  ): Promise<HttpAnswer> {
    return this.withToken(creds, op, (token) => this.post(creds, path, body, token, op));
  }

  /** Runs `call` with a token; a token rejection clears the cache and runs it exactly once more. */
  private async withToken(
    creds: DarajaCredentials,
    op: DarajaOperation,
    call: (token: string) => Promise<HttpAnswer>,
  ): Promise<HttpAnswer> {
    const token = await this.tokenBefore(creds);
    const first = await call(token);
    if (!isTokenRejection(first)) return first;
    this.logger.warn('daraja access token rejected; refreshing once', { op, status: first.status });
    await this.tokens.invalidate(creds, token);
    return call(await this.tokenBefore(creds));
  }

  /** A token failure happens before the real request, which therefore never left. */
  private async tokenBefore(creds: DarajaCredentials): Promise<string> {
    try {
      return await this.tokens.get(creds);
    } catch (error) {
      throw error instanceof DarajaError ? error.neverSent() : error;
    }
  }

  private async post(
    creds: DarajaCredentials,
    path: string,
    body: Record<string, unknown>,
    token: string,
    op: DarajaOperation,
  ): Promise<HttpAnswer> {
    try {
      const res = await this.http.request({
        method: 'POST',
        url: joinUrl(creds.baseUrl, path),
        data: body,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        timeout: this.timeoutMs,
        validateStatus: () => true,
      });
      return { status: res.status, data: res.data as unknown };
    } catch (error) {
      throw errorFromTransport(error, op);
    }
  }

  private fetchToken(creds: DarajaCredentials): Promise<FreshToken> {
    return this.withRetry('oauth', async () => {
      const basic = Buffer.from(`${creds.consumerKey}:${creds.consumerSecret}`).toString('base64');
      let answer: HttpAnswer;
      try {
        const res = await this.http.request({
          method: 'GET',
          url: joinUrl(creds.baseUrl, '/oauth/v1/generate'),
          params: { grant_type: 'client_credentials' },
          headers: { Authorization: `Basic ${basic}` },
          timeout: this.timeoutMs,
          validateStatus: () => true,
        });
        answer = { status: res.status, data: res.data as unknown };
      } catch (error) {
        throw errorFromTransport(error, 'oauth');
      }
      const data = (answer.data ?? {}) as Record<string, unknown>;
      if (answer.status !== 200) throw errorFromAnswer(answer, 'oauth');
      // expires_in is a string in observed answers and a number in the 2025 docs (§1.2).
      const expires = Number(str(data.expires_in));
      if (typeof data.access_token !== 'string' || !data.access_token) {
        throw new DarajaError({
          code: 'DARAJA.BAD_RESPONSE',
          message: 'Daraja oauth answered without an access_token',
          retryable: true,
          requestMayHaveReachedDaraja: true,
          httpStatus: answer.status,
        });
      }
      this.logger.debug('daraja token minted', { expiresIn: expires });
      return {
        token: data.access_token,
        expiresInSeconds: Number.isFinite(expires) && expires > 0 ? expires : 3599,
      };
    });
  }

  /** Bounded exponential backoff with jitter, for retryable DarajaErrors only. */
  private async withRetry<T>(op: DarajaOperation, run: (last: boolean) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= this.retry.attempts;
      try {
        return await run(last);
      } catch (error) {
        if (last || !(error instanceof DarajaError) || !error.retryable) throw error;
        if (error.code === 'DARAJA.INVALID_ACCESS_TOKEN') throw error;
        const cap = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
        const delay = cap / 2 + Math.random() * (cap / 2);
        this.logger.warn('daraja call failed; retrying', { op, attempt, code: error.code });
        await sleep(delay);
      }
    }
  }
}

function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}
