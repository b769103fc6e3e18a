import { ConfigError } from '../config/validate-config';

const CONNECT_CODES = [
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  '3D000',
  '28P01',
  '28000',
];

/** Errors worth one clear line instead of a stack trace: bad config and unreachable services. */
function oneLineReason(error: unknown): string | undefined {
  if (error instanceof ConfigError) return error.message;
  if (error instanceof AggregateError && error.errors.length) return oneLineReason(error.errors[0]);
  const code = (error as { code?: string } | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code && CONNECT_CODES.includes(code)) return `cannot connect: ${message} (${code})`;
  return undefined;
}

/** Runs a process entry point; boot failures exit non-zero with a one-line reason. */
export function runMain(name: string, main: () => Promise<unknown>): void {
  main().catch((error: unknown) => {
    const reason = oneLineReason(error);
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`${name}: ${reason ?? `failed to start: ${detail}`}\n`);
    process.exit(1);
  });
}
