import type { AxiosInstance, AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { opsMetrics } from '@malipo/common';

/** Daraja paths → the API they are (the metric label); anything else is `other`. */
const APIS: [RegExp, string][] = [
  [/\/oauth\/v1\/generate/, 'oauth'],
  [/\/stkpushquery\//, 'stk_query'],
  [/\/stkpush\//, 'stk_push'],
  [/\/transactionstatus\//, 'transaction_status'],
  [/\/reversal\//, 'reversal'],
  [/\/pulltransactions?\//, 'pull'],
];
const SANE_CODE = /^[\w.]{1,24}$/;

const started = new WeakMap<InternalAxiosRequestConfig, number>();
const instrumented = new WeakSet<AxiosInstance>();

function apiOf(url: string | undefined): string {
  for (const [pattern, api] of APIS) if (pattern.test(url ?? '')) return api;
  return 'other';
}

/** Daraja's own code when it gives one (errorCode, ResponseCode, ResultCode), else the status. */
function codeOf(res: AxiosResponse): string {
  const data = (res.data ?? {}) as Record<string, unknown>;
  const own = data.errorCode ?? data.ResponseCode ?? data.ResultCode;
  const code = typeof own === 'string' || typeof own === 'number' ? String(own) : '';
  return SANE_CODE.test(code) ? code : String(res.status);
}

function record(config: InternalAxiosRequestConfig | undefined, code: string, up: boolean): void {
  const api = apiOf(config?.url);
  opsMetrics.darajaCalls.inc({ api, code });
  const start = config && started.get(config);
  if (start !== undefined) opsMetrics.darajaLatency.observe({ api }, (Date.now() - start) / 1000);
  if (up) {
    opsMetrics.darajaLastSuccess.set(Date.now() / 1000);
    opsMetrics.darajaConsecutiveFailures.set(0);
  } else {
    opsMetrics.darajaConsecutiveFailures.inc();
  }
}

/**
 * Counts every Daraja call by API and outcome code with its latency, token mints, and whether
 * Daraja answers at all (a metric and the operator's health page; never readiness).
 */
export function instrumentDarajaHttp(http: AxiosInstance): void {
  if (instrumented.has(http)) return;
  instrumented.add(http);
  http.interceptors.request.use((config) => {
    started.set(config, Date.now());
    return config;
  });
  http.interceptors.response.use(
    (res) => {
      record(res.config, codeOf(res), res.status < 500);
      if (res.status === 200 && apiOf(res.config.url) === 'oauth') {
        opsMetrics.darajaTokenRefreshes.inc();
      }
      return res;
    },
    (error: unknown) => {
      const { config, code } = (error ?? {}) as {
        config?: InternalAxiosRequestConfig;
        code?: string;
      };
      const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT';
      record(config, timedOut ? 'timeout' : 'network', false);
      return Promise.reject(error);
    },
  );
}

/** Daraja as this process has seen it, for the operator console (the metrics, read back). */
export async function darajaHealth(): Promise<{
  lastAnswerAt: string | null;
  consecutiveFailures: number;
}> {
  const last = (await opsMetrics.darajaLastSuccess.get()).values[0]?.value ?? 0;
  const failures = (await opsMetrics.darajaConsecutiveFailures.get()).values[0]?.value ?? 0;
  return {
    lastAnswerAt: last > 0 ? new Date(last * 1000).toISOString() : null,
    consecutiveFailures: failures,
  };
}
