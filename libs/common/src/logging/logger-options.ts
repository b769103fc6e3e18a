import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { LoggerOptions } from 'pino';
import { maskPhone, maskPhonesInText } from './mask';

const SECRET_KEYS = [
  'authorization',
  'Authorization',
  'cookie',
  'password',
  'Password',
  'passkey',
  'consumerKey',
  'consumerSecret',
  'secret',
  'token',
  'access_token',
  'apiKey',
  'key',
];
const PHONE_KEYS = ['phone', 'PhoneNumber', 'PartyA', 'msisdn', 'MSISDN'];

/** Each key at the top level, one level down, and in request headers. */
const pathsFor = (keys: string[]): string[] =>
  keys
    .flatMap((k) => [k, `*.${k}`, `*.*.${k}`])
    // pino-http logs response headers: a console sign-in's Set-Cookie carries the session id.
    .concat(['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]']);

const SECRET_PATHS = pathsFor(SECRET_KEYS);
const PHONE_PATHS = pathsFor(PHONE_KEYS);
const PHONE_KEY_SET = new Set(PHONE_KEYS);

function censor(value: unknown, path: string[]): unknown {
  const last = path[path.length - 1] ?? '';
  if (PHONE_KEY_SET.has(last) && value !== undefined && value !== null) {
    return maskPhone(String(value));
  }
  return '[redacted]';
}

/** pino options shared by every process: redaction of secrets and phone numbers, no stray PII. */
export function loggerOptions(opts: {
  level: string;
  pretty: boolean;
  name: string;
}): LoggerOptions {
  return {
    name: opts.name,
    level: opts.level,
    redact: { paths: [...new Set([...SECRET_PATHS, ...PHONE_PATHS])], censor },
    hooks: {
      // Free-text messages may carry a phone number typed by a cashier; mask before writing.
      logMethod(args, method) {
        const scrubbed = args.map((a) => (typeof a === 'string' ? maskPhonesInText(a) : a));
        return method.apply(this, scrubbed as Parameters<typeof method>);
      },
    },
    transport: opts.pretty
      ? { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' } }
      : undefined,
  };
}

/** Request id: honour a sane inbound `x-request-id`, otherwise mint one. */
export function requestIdFor(req: IncomingMessage): string {
  const header = req.headers['x-request-id'];
  const inbound = Array.isArray(header) ? header[0] : header;
  return inbound && /^[\w.-]{1,128}$/.test(inbound) ? inbound : randomUUID();
}

/**
 * A request URL as logged: no callback token, and no phone number in the query (a till opened
 * with `?phone=`, an owner's search by phone), whether typed with `+` or `%2B`.
 */
export function urlForLog(url: string): string {
  return maskPhonesInText(
    url.replace(/\/hooks\/stk\/[^/?]+/, '/hooks/stk/[token]').replace(/%2B/gi, '+'),
  );
}
