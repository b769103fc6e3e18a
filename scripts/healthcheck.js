// The image's HEALTHCHECK: 0 when the process answers ready, 1 otherwise. Plain JavaScript so it
// runs without the build. HEALTHCHECK_URL picks another process (the worker's port 3200).
const port = process.env.PORT || '3000';
const url = process.env.HEALTHCHECK_URL || `http://127.0.0.1:${port}/health/ready`;

fetch(url, { signal: AbortSignal.timeout(2500) }).then(
  (res) => process.exit(res.ok ? 0 : 1),
  () => process.exit(1),
);
