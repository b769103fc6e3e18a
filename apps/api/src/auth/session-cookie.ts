// cookie@1 (CommonJS) rather than @fastify/cookie: the plugin loads the ESM-only cookie@2 through
// import(), which jest's CommonJS runtime cannot do on Node 20; the parser and serializer are the same.
import { parse, serialize } from 'cookie';

/** The console's session cookie: HttpOnly, SameSite=Strict, Secure outside development. */
export const SESSION_COOKIE = 'malipo_session';
/** Header the console sends with every cookie-authenticated write (see ConsoleSessionStore). */
export const CSRF_HEADER = 'x-csrf-token';

export function sessionIdFrom(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  return parse(cookieHeader)[SESSION_COOKIE] || undefined;
}

export function serializeSessionCookie(
  value: string,
  opts: { secure: boolean; maxAge: number },
): string {
  return serialize(SESSION_COOKIE, value, {
    httpOnly: true,
    sameSite: 'strict',
    secure: opts.secure,
    path: '/',
    maxAge: opts.maxAge,
  });
}
