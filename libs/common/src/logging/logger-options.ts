import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { LoggerOptions } from 'pino';
import { maskPhone, maskPhonesInJsonLine, maskPhonesInText } from './mask';
import { mergeTraceFields, traceLogFields } from '../tracing/trace-id';

const SECRET_KEYS = [
  'authorization',
  'Authorization',
  'cookie',
  'password',
  'Password',
  'passkey',
  'consumerKey',
  'consumerSecret',
  'initiatorPassword',
  'SecurityCredential',
  'certificatePem',
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

/**
 * pino options shared by every process: secrets redacted by key, phone numbers by key and by
 * value pattern, on every line.
 */
export function loggerOptions(opts: {
  level: string;
  pretty: boolean;
  name: string;
}): LoggerOptions {
  return {
    name: opts.name,
    level: opts.level,
    redact: { paths: [...new Set([...SECRET_PATHS, ...PHONE_PATHS])], censor },
    // `traceId` on every line of a traced request or job (nothing when tracing is off).
    mixin: traceLogFields,
    mixinMergeStrategy: mergeTraceFields,
    hooks: {
      // Keys above catch the fields we know; values are caught here, on the finished line: a
      // phone in a request URL, in a message typed by a cashier, in a database error's
      // parameters or in a stack trace never reaches the output.
      streamWrite: maskPhonesInJsonLine,
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
