import { Gauge, register } from 'prom-client';

type Reader = () => Promise<void> | void;

const readers = new Set<Reader>();
let lastReading: { at: number; done: Promise<void> } | undefined;

/** Readings this recent are reused: one scrape reads every gauge, but runs each query once. */
const REUSE_MS = 1_000;

function readAll(): Promise<void> {
  const now = Date.now();
  if (lastReading && now - lastReading.at < REUSE_MS) return lastReading.done;
  const done = Promise.allSettled([...readers].map(async (read) => read())).then(() => undefined);
  lastReading = { at: now, done };
  return done;
}

/**
 * Adds a reader run when Prometheus scrapes (not on a timer: nothing is queried between
 * scrapes). It sets the gauges below from a few cheap queries. Returns its removal.
 */
export function addScrapeReader(read: Reader): () => void {
  readers.add(read);
  lastReading = undefined;
  return () => {
    readers.delete(read);
    lastReading = undefined;
  };
}

function scrapedGauge(name: string, help: string, labelNames: string[] = []): Gauge<string> {
  const known = register.getSingleMetric(name) as Gauge<string> | undefined;
  return (
    known ??
    new Gauge({
      name,
      help,
      labelNames,
      async collect() {
        await readAll();
      },
    })
  );
}

/** Where work waits: read at scrape time by the worker (queues, backlogs) and every process (pool). */
export const backlogGauges = {
  queueJobs: scrapedGauge(
    'malipo_queue_jobs',
    'BullMQ jobs by queue and state (waiting, prioritized, active, delayed, failed)',
    ['queue', 'state'],
  ),
  queueOldestWaiting: scrapedGauge(
    'malipo_queue_oldest_waiting_seconds',
    'Age of the oldest job waiting in each BullMQ queue (0 when none waits)',
    ['queue'],
  ),
  inboxBacklog: scrapedGauge(
    'malipo_callback_inbox_backlog',
    'Stored callbacks not yet processed (inbox state received)',
  ),
  inboxOldest: scrapedGauge(
    'malipo_callback_inbox_oldest_seconds',
    'Age of the oldest stored callback not yet processed (0 when none)',
  ),
  reconcileDue: scrapedGauge(
    'malipo_reconcile_due_attempts',
    'Attempts whose next STK Query is due now (the reconciler backlog)',
  ),
  reconcileOldestDue: scrapedGauge(
    'malipo_reconcile_oldest_due_seconds',
    'How long the most overdue STK Query has been due (0 when none)',
  ),
  webhooksPending: scrapedGauge(
    'malipo_webhook_deliveries_pending',
    'Webhook deliveries not yet delivered nor given up',
  ),
  webhooksOverdue: scrapedGauge(
    'malipo_webhook_oldest_overdue_seconds',
    'How long the most overdue pending webhook delivery has waited past its due time (0 when none)',
  ),
  ready: scrapedGauge(
    'malipo_ready',
    'This replica would answer /health/ready with 200 (not stopping, PostgreSQL and Redis answer)',
  ),
  dependencyUp: scrapedGauge(
    'malipo_dependency_up',
    'Whether a dependency answered its readiness check (postgres, redis)',
    ['dependency'],
  ),
  pgPool: scrapedGauge(
    'malipo_pg_pool_clients',
    'PostgreSQL pool clients: in_use, idle, and waiting (requests queued for a client)',
    ['state'],
  ),
};
