import { randomBytes } from 'node:crypto';

// Each test file gets its own Redis namespace (queues included) under the run's base prefix,
// so workers booted by one file never pick up another file's jobs.
const base = process.env.MALIPO_TEST_REDIS_BASE;
if (base) {
  const worker = process.env.JEST_WORKER_ID ?? '0';
  process.env.REDIS_PREFIX = `${base}:${worker}${randomBytes(3).toString('hex')}`;
}

// The api's metrics listener takes any free port: test files boot several apis side by side.
process.env.METRICS_PORT = '0';
