import axios, { type AxiosInstance } from 'axios';
import { DarajaError } from './daraja.errors';
import type { DarajaClient } from './daraja.client';
import type { DarajaCredentials } from './daraja.types';
import { darajaTimestamp } from './password';
import { instrumentDarajaHttp } from './daraja-metrics';
import { normalisePulledRow, pulledRows, type PulledTransaction } from './pulled-transaction';

export type { PulledTransaction } from './pulled-transaction';

export interface PullQuery {
  from: Date;
  to: Date;
}

/** Rows per page are not documented; a page shorter than this is taken as the last one. */
const MIN_FULL_PAGE = 100;
const MAX_PAGES = 50;

/** Pull wants `YYYY-MM-DD HH:mm:ss` (EAT wall clock, like every other Daraja time). */
export function pullDateTime(date: Date): string {
  const t = darajaTimestamp(date);
  return `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)} ${t.slice(8, 10)}:${t.slice(10, 12)}:${t.slice(12, 14)}`;
}

/**
 * Pull Transactions (`/pulltransactions/v1/query`, REFERENCE §7.3): the C2B statement of a
 * shortcode for the last 48 h. The reconciler uses it for the one fact STK Query never gives: the
 * receipt of a payment whose callback was lost.
 */
export class PullTransactionsClient {
  constructor(
    private readonly daraja: DarajaClient,
    private readonly http: AxiosInstance = axios.create(),
    private readonly timeoutMs = 10_000,
  ) {
    instrumentDarajaHttp(http);
  }

  async query(creds: DarajaCredentials, q: PullQuery): Promise<PulledTransaction[]> {
    const all: PulledTransaction[] = [];
    let offset = 0;
    for (let page = 0; page < MAX_PAGES; page++) {
      const rows = await this.page(creds, q, offset);
      offset += rows.length;
      all.push(...rows.map(normalisePulledRow).filter((r): r is PulledTransaction => !!r));
      if (rows.length < MIN_FULL_PAGE) break;
    }
    return all;
  }

  private async page(
    creds: DarajaCredentials,
    q: PullQuery,
    offset: number,
  ): Promise<Record<string, unknown>[]> {
    const token = await this.daraja.getToken(creds);
    let status: number;
    let data: unknown;
    try {
      const res = await this.http.request({
        method: 'POST',
        url: `${creds.baseUrl.replace(/\/+$/, '')}/pulltransactions/v1/query`,
        data: {
          ShortCode: creds.shortcode,
          StartDate: pullDateTime(q.from),
          EndDate: pullDateTime(q.to),
          OffSetValue: String(offset),
        },
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        timeout: this.timeoutMs,
        validateStatus: () => true,
      });
      status = res.status;
      data = res.data as unknown;
    } catch (error) {
      throw new DarajaError({
        code: 'DARAJA.NETWORK',
        message: 'Daraja pull transactions unreachable',
        retryable: true,
        requestMayHaveReachedDaraja: true,
        cause: error,
      });
    }
    if (status !== 200) {
      const env = (data ?? {}) as { errorCode?: string; errorMessage?: string };
      throw new DarajaError({
        code:
          status === 429
            ? 'DARAJA.RATE_LIMITED'
            : status >= 500
              ? 'DARAJA.SERVER_ERROR'
              : 'DARAJA.BAD_REQUEST',
        message: `Daraja pull transactions failed: HTTP ${status}`,
        retryable: status === 429 || status >= 500,
        requestMayHaveReachedDaraja: true,
        httpStatus: status,
        errorCode: env.errorCode,
        errorMessage: env.errorMessage,
      });
    }
    return pulledRows(data);
  }
}
