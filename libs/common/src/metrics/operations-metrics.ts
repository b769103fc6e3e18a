import { counter, gauge, histogram } from './metrics';

/** Seconds, from a few milliseconds (a callback) to a prompt's whole life (minutes). */
const OUTCOME_BUCKETS = [1, 2, 5, 10, 20, 30, 45, 60, 90, 120, 300, 900, 3600];
const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30];

/**
 * What an operator needs beyond the process: Daraja, payments, the pool. Labels are bounded:
 * channel (a few per shop at most), never shop, phone or payment.
 */
export const opsMetrics = {
  darajaCalls: counter(
    'malipo_daraja_calls_total',
    'Daraja HTTP calls by API and outcome code (HTTP status, Daraja errorCode or ResponseCode, or a transport failure)',
    ['api', 'code'],
  ),
  darajaLatency: histogram(
    'malipo_daraja_call_seconds',
    'Daraja HTTP call latency by API',
    LATENCY_BUCKETS,
    ['api'],
  ),
  darajaTokenRefreshes: counter(
    'malipo_daraja_token_refreshes_total',
    'OAuth tokens minted (each one a Daraja OAuth call that succeeded)',
  ),
  darajaLastSuccess: gauge(
    'malipo_daraja_last_success_timestamp_seconds',
    'When this process last had an answer from Daraja (any HTTP status below 500)',
  ),
  darajaConsecutiveFailures: gauge(
    'malipo_daraja_consecutive_failures',
    'Daraja calls in a row that timed out, failed to connect or answered 5xx (0 after any answer)',
  ),
  queryBudgetUsed: counter(
    'malipo_reconcile_query_budget_used_total',
    'STK Queries taken from the per-channel budget, and refusals when it was spent',
    ['channel', 'result'],
  ),
  paymentsCreated: counter('malipo_payments_created_total', 'Payments created', ['channel']),
  paymentsFinal: counter(
    'malipo_payments_final_total',
    'Payments that reached a final status (succeeded, failed, cancelled, expired, reversed)',
    ['channel', 'status'],
  ),
  paymentOutcomeSeconds: histogram(
    'malipo_payment_outcome_seconds',
    'From payment creation to its first final status',
    OUTCOME_BUCKETS,
    ['status'],
  ),
  discrepancies: counter('malipo_discrepancies_total', 'Discrepancies opened, by kind', ['kind']),
};
