import 'reflect-metadata';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsPositive,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
} from 'class-validator';

export type NodeEnv = 'development' | 'test' | 'production';
export type DarajaMode = 'simulator' | 'sandbox' | 'production';

const toBool = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? ['1', 'true', 'yes', 'on'].includes(value.toLowerCase()) : value;

/**
 * Everything Malipo reads from the environment, validated once at boot. Per-tenant Daraja
 * credentials are not here: they live encrypted in the channels table.
 */
export class AppConfig {
  @IsIn(['development', 'test', 'production']) NODE_ENV: NodeEnv = 'development';
  @IsIn(['simulator', 'sandbox', 'production']) DARAJA_MODE: DarajaMode = 'simulator';

  @Type(() => Number) @IsInt() @Min(1) @Max(65535) PORT = 3000;
  @Type(() => Number) @IsInt() @Min(1) @Max(65535) SIM_PORT = 3100;
  @Type(() => Number) @IsInt() @Min(1) @Max(65535) WORKER_PORT = 3200;
  @IsString() HOST = '127.0.0.1';
  /** The api's Prometheus port (`GET /metrics`), bound on HOST; 0 = any free port (tests). */
  @Type(() => Number) @IsInt() @Min(0) @Max(65535) METRICS_PORT = 9464;

  @IsUrl({ require_tld: false, protocols: ['postgres', 'postgresql'], require_protocol: true })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/malipo';
  @Type(() => Number) @IsInt() @IsPositive() DATABASE_POOL_SIZE = 10;
  /**
   * The api and worker apply pending migrations before they start (under an advisory lock).
   * Production sets false and runs the migrations step once per deploy (docs/deploy.md); a
   * process then refuses to start on a schema behind its code.
   */
  @Type(() => Boolean) @IsBoolean() MIGRATE_ON_START = true;
  /** A stuck statement must not hold a payment row lock for long; the job is retried instead. */
  @Type(() => Number) @IsInt() @Min(50) DATABASE_STATEMENT_TIMEOUT_MS = 15_000;
  /**
   * The role every pooled connection takes (`SET ROLE`) before its first query; migration 0008
   * creates `malipo_app`, which may insert and read audit rows but never update or delete them.
   * Unset or empty: the connection keeps DATABASE_URL's own user (the test suite's default).
   */
  @Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value))
  @IsOptional()
  @Matches(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'DB_APP_ROLE must be a lower-case role name' })
  DB_APP_ROLE?: string;

  @IsUrl({ require_tld: false, protocols: ['redis', 'rediss'], require_protocol: true })
  REDIS_URL = 'redis://127.0.0.1:6379';
  /** Namespace for every Redis key and BullMQ queue; tests use one per run. */
  @IsString() @MinLength(1) REDIS_PREFIX = 'malipo';

  /** Base URL Safaricom reaches us on; the STK CallBackURL is built from it. */
  @IsUrl({ require_tld: false, require_protocol: true }) PUBLIC_BASE_URL = 'http://127.0.0.1:3000';
  /** Where the Daraja client sends requests for simulator channels. */
  @IsUrl({ require_tld: false, require_protocol: true }) DARAJA_SIM_URL = 'http://127.0.0.1:3100';

  /** AES-256-GCM key material for channel secrets (any string of 32+ chars; hashed to 32 bytes). */
  @IsString() @MinLength(32) CREDENTIALS_KEY!: string;
  @IsString() @MinLength(1) CREDENTIALS_KEY_ID = 'k1';
  /** HMAC secret behind the per-attempt callback token. */
  @IsString() @MinLength(32) CALLBACK_SECRET!: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) LOG_LEVEL = 'info';
  @Type(() => Boolean) @IsBoolean() LOG_PRETTY = false;

  /** How long a customer has to answer a prompt before we stop waiting (`expired`). */
  @Type(() => Number) @IsInt() @Min(30) STK_TIMEOUT_SECONDS = 120;
  /**
   * A push marked as sent (push_sent_at) whose answer nobody recorded after this long is taken as
   * lost (the api died mid-push): the reconciler makes the payment `unknown` and searches the
   * statement. Longer than the Daraja client's token and push timeouts together.
   */
  @Type(() => Number) @IsInt() @Min(1) PUSH_ANSWER_WINDOW_SECONDS = 60;
  /** Per-phone prompt lock lifetime; a prompt cannot outlive this on Safaricom's side. */
  @Type(() => Number) @IsInt() @Min(10) PHONE_LOCK_SECONDS = 90;
  @Type(() => Number) @IsInt() @Min(60) IDEMPOTENCY_TTL_SECONDS = 86_400;

  @IsOptional() @IsString() DEMO_OWNER_KEY?: string;
  @IsOptional() @IsString() DEMO_TERMINAL_KEY?: string;
  @IsOptional() @IsString() DEMO_OPS_KEY?: string;

  /** Comma-separated IPs/CIDRs allowed to post callbacks (REFERENCE §4.4); empty = no check. */
  @IsString() CALLBACK_IP_ALLOWLIST = '';
  /** With an allowlist: false only logs and counts mismatches, true also answers 403. */
  @Type(() => Boolean) @IsBoolean() CALLBACK_IP_ENFORCE = false;
  /** Comma-separated proxy addresses whose X-Forwarded-For is believed. */
  @IsString() TRUSTED_PROXIES = '';
  /** Callback bodies beyond this are kept truncated and marked invalid. */
  @Type(() => Number) @IsInt() @Min(1024) CALLBACK_MAX_STORED_BYTES = 65_536;
  /** How long initiation may reuse a channel or terminal it read (ChannelDirectory); 0 = never. */
  @Type(() => Number) @IsInt() @Min(0) CHANNEL_CACHE_MS = 5_000;

  /** BullMQ: how often a failed callback job is retried before it is dead-lettered. */
  @Type(() => Number) @IsInt() @Min(1) CALLBACK_JOB_ATTEMPTS = 8;
  /** A stop (SIGTERM/SIGINT) that has not finished after this long exits with a one-line reason. */
  @Type(() => Number) @IsInt() @Min(100) SHUTDOWN_TIMEOUT_MS = 25_000;
  /**
   * The api's stop: how long it keeps serving (callbacks stored, new pushes refused, readiness
   * 503) before it stops listening, so load balancers take it out first. Pushes in flight are
   * waited for beyond it, within SHUTDOWN_TIMEOUT_MS.
   */
  @Type(() => Number) @IsInt() @Min(0) SHUTDOWN_DRAIN_MS = 5_000;
  /** BullMQ job lock; a crashed worker's job is picked up again after about this long. */
  @Type(() => Number) @IsInt() @Min(1000) JOB_LOCK_MS = 30_000;
  /** Inbox rows older than this without a completed job are enqueued again by the sweeper. */
  @Type(() => Number) @IsInt() @Min(100) INBOX_SWEEP_AFTER_MS = 10_000;
  @Type(() => Number) @IsInt() @Min(100) INBOX_SWEEP_EVERY_MS = 5_000;

  /** Webhooks: a delivery attempt answered 2xx within this is a success. */
  @Type(() => Number) @IsInt() @Min(100) WEBHOOK_TIMEOUT_MS = 10_000;
  /** Webhooks: failed deliveries are retried (exponential backoff + jitter) for this long. */
  @Type(() => Number) @IsInt() @Min(1) WEBHOOK_RETRY_WINDOW_SECONDS = 86_400;
  @Type(() => Number) @IsInt() @Min(10) WEBHOOK_RETRY_BASE_MS = 10_000;
  @Type(() => Number) @IsInt() @Min(10) WEBHOOK_RETRY_MAX_MS = 3_600_000;
  /** Webhooks: an endpoint whose every delivery failed for this long is disabled. */
  @Type(() => Number) @IsInt() @Min(1) WEBHOOK_DISABLE_AFTER_SECONDS = 86_400;
  /** Webhooks: default time the old secret stays valid after a rotation. */
  @Type(() => Number) @IsInt() @Min(0) WEBHOOK_SECRET_OVERLAP_SECONDS = 86_400;
  /** Webhooks: how often the worker turns committed events into deliveries. */
  @Type(() => Number) @IsInt() @Min(50) WEBHOOK_DISPATCH_EVERY_MS = 1_000;
  /**
   * Webhooks: a commit wakes the dispatcher after this delay, so one round serves every change
   * committed meanwhile (a round per change cost as many queries as applying the change).
   */
  @Type(() => Number) @IsInt() @Min(0) WEBHOOK_WAKE_DELAY_MS = 50;
  /** Webhooks: pending deliveries overdue by this long are enqueued again (lost jobs). */
  @Type(() => Number) @IsInt() @Min(100) WEBHOOK_SWEEP_AFTER_MS = 60_000;
  @Type(() => Number) @IsInt() @Min(1) WEBHOOK_CONCURRENCY = 16;

  /** Reconciler (docs/reconciliation.md): the tick in every worker replica; off only in tests/bench. */
  @Type(() => Boolean) @IsBoolean() RECONCILE_ENABLED = true;
  /** First STK Query this long after the push was accepted (or went unknown). */
  @Type(() => Number) @IsInt() @Min(0) RECONCILE_THRESHOLD_SECONDS = 30;
  /** After the deadline, keep asking Safaricom this long: a late success still counts. */
  @Type(() => Number) @IsInt() @Min(60) RECONCILE_GRACE_SECONDS = 86_400;
  @Type(() => Number) @IsInt() @Min(50) RECONCILE_TICK_MS = 1_000;
  /** Attempts claimed per tick and replica. */
  @Type(() => Number) @IsInt() @Min(1) RECONCILE_BATCH_SIZE = 100;
  /** STK Queries in flight at once per replica. */
  @Type(() => Number) @IsInt() @Min(1) RECONCILE_CONCURRENCY = 10;
  /** Per channel, shared by all replicas through Redis. */
  @Type(() => Number) @IsInt() @Min(1) RECONCILE_QUERIES_PER_MINUTE = 300;
  /** The budget's sliding window (the budget scales with it); tests shorten it. */
  @Type(() => Number) @IsInt() @Min(1000) RECONCILE_BUDGET_WINDOW_MS = 60_000;
  /** Backoff after a transient answer: base × 2^(queries so far), capped. */
  @Type(() => Number) @IsInt() @Min(10) RECONCILE_BACKOFF_BASE_MS = 5_000;
  @Type(() => Number) @IsInt() @Min(100) RECONCILE_BACKOFF_MAX_MS = 300_000;
  /** A claimed attempt is invisible to other replicas this long (a crashed replica's claim lapses). */
  @Type(() => Number) @IsInt() @Min(1000) RECONCILE_LEASE_MS = 60_000;
  /** Statement sweep: Pull Transactions per channel, recording money Malipo never heard of. */
  @Type(() => Number) @IsInt() @Min(1000) RECONCILE_STATEMENT_EVERY_MS = 600_000;
  /** Statement rows younger than this are left alone: their callback or confirmation may be on its way. */
  @Type(() => Number) @IsInt() @Min(0) RECONCILE_STATEMENT_MIN_AGE_MS = 600_000;

  /** Rate limits (docs/api.md, Rate limits): requests per API key per minute, over all api replicas; 0 = off. */
  @Type(() => Number) @IsInt() @Min(0) RATE_LIMIT_PER_MINUTE = 600;
  /** Rate limits: STK pushes (POST /v1/payments, …/retry) per API key per minute; 0 = off. */
  @Type(() => Number) @IsInt() @Min(0) RATE_LIMIT_PAYMENTS_PER_MINUTE = 120;
  /** Rate limits: failed authentications (401) per client address per minute before 429s; 0 = off. */
  @Type(() => Number) @IsInt() @Min(0) RATE_LIMIT_AUTH_FAILURES_PER_MINUTE = 30;

  /** Realtime (docs/terminal-protocol.md): a resume further behind than this many events gets resync_required. */
  @Type(() => Number) @IsInt() @Min(1) REALTIME_RESUME_MAX_EVENTS = 1_000;
  /** Realtime: a resume whose first missed event is older than this gets resync_required. */
  @Type(() => Number) @IsInt() @Min(1) REALTIME_RESUME_WINDOW_SECONDS = 3_600;
  /** Realtime: sockets one API key may hold open at once, over all api replicas. */
  @Type(() => Number) @IsInt() @Min(1) REALTIME_MAX_CONNECTIONS_PER_KEY = 5;
  /** Realtime: socket.io ping interval and how long a missing pong is tolerated. */
  @Type(() => Number) @IsInt() @Min(1000) REALTIME_HEARTBEAT_MS = 25_000;
  @Type(() => Number) @IsInt() @Min(1000) REALTIME_HEARTBEAT_TIMEOUT_MS = 20_000;
  /** Realtime: connected keys are checked against revocation this often (the revocation bound). */
  @Type(() => Number) @IsInt() @Min(100) REALTIME_KEY_RECHECK_MS = 30_000;

  /**
   * Tracing (docs/operations.md, Traces): OTLP/HTTP traces endpoint, e.g.
   * http://otel-collector:4318/v1/traces. Unset: tracing is off and costs nothing.
   */
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true })
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string;
  /** Tracing: the service.name on every span; defaults to malipo-<app>. */
  @IsOptional() @IsString() OTEL_SERVICE_NAME?: string;
  /** Tracing: the share of new traces recorded (a callback's trace follows its api request's). */
  @Type(() => Number) @IsNumber() @Min(0) @Max(1) OTEL_TRACES_SAMPLE_RATIO = 1;

  /**
   * Audit checkpoints (docs/audit.md, Checkpoints): the Ed25519 key that signs them, as the base64
   * of its 32-byte seed (one line) or a PKCS#8 PEM. Required in production; elsewhere, unset means
   * the public development key (DEV_AUDIT_SIGNING_KEY), which production refuses.
   */
  @IsOptional() @IsString() AUDIT_SIGNING_KEY?: string;
  /**
   * Audit checkpoints: comma-separated public keys (base64 of the raw 32 bytes, or SPKI PEM) of
   * earlier signing keys, so checkpoints signed before a rotation still verify.
   */
  @IsString() AUDIT_VERIFY_KEYS = '';
  /** Audit checkpoints: a chain gets one as soon as its head is this many entries past the last. */
  @Type(() => Number) @IsInt() @Min(1) AUDIT_CHECKPOINT_EVERY = 100;
  /** Audit checkpoints: a chain that moved at all gets one once its last is this old. */
  @Type(() => Number) @IsInt() @Min(1000) AUDIT_CHECKPOINT_INTERVAL_MS = 300_000;
  /** Audit checkpoints: how often every worker replica looks for chains that are due. */
  @Type(() => Number) @IsInt() @Min(100) AUDIT_CHECKPOINT_TICK_MS = 60_000;

  /** A console session (cookie) ends after this long without a request. */
  @Type(() => Number) @IsInt() @Min(60) CONSOLE_SESSION_IDLE_SECONDS = 1_800;

  static readonly coerceBoolean = toBool;
}
