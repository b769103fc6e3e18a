import { fastifyCookie } from '@fastify/cookie';

/** The console's session cookie: HttpOnly, SameSite=Strict, Secure in production. */
export const SESSION_COOKIE = 'malipo_session';
/** Header the console sends with every cookie-authenticated write (see ConsoleSessionStore). */
export const CSRF_HEADER = 'x-csrf-token';

export function sessionIdFrom(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  return fastifyCookie.parse(cookieHeader)[SESSION_COOKIE] || undefined;
}

export function serializeSessionCookie(
  value: string,
  opts: { secure: boolean; maxAge: number },
): string {
  return fastifyCookie.serialize(SESSION_COOKIE, value, {
    httpOnly: true,
    sameSite: 'strict',
    secure: opts.secure,
    path: '/',
    maxAge: opts.maxAge,
  });
}
