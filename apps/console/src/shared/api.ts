import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './api-schema';

/** An error answer of the api: `{ code, message, requestId }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;
let onSignedOut: () => void = () => undefined;

/** The session's CSRF token, sent with every write (the cookie alone is never enough). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when the api answers 401: the session ended (idle, sign-out or revoked key). */
export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

const session: Middleware = {
  onRequest({ request }) {
    if (csrfToken && request.method !== 'GET') request.headers.set('x-csrf-token', csrfToken);
    return request;
  },
  onResponse({ request, response }) {
    // Asking who we are (or signing in) may answer 401 without anything having ended.
    const aboutSession =
      new URL(request.url).pathname === '/v1/session' && request.method !== 'DELETE';
    if (response.status === 401 && !aboutSession) onSignedOut();
    return response;
  },
};

/** The api's own OpenAPI document, typed by openapi-typescript; same origin, cookie session. */
export const api = createClient<paths>({
  baseUrl: window.location.origin,
  credentials: 'same-origin',
});
api.use(session);

type Answer = { data?: unknown; error?: unknown; response: Response };

/** The body of a successful answer, or an ApiError with the api's code and message. */
export async function unwrap<T>(call: Promise<Answer>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  const body = (error ?? {}) as {
    code?: string;
    message?: string;
    details?: Record<string, unknown>;
  };
  throw new ApiError(
    response.status,
    body.code ?? `HTTP.${response.status}`,
    body.message ?? response.statusText,
    body.details ?? {},
  );
}

/** Headers with which an operator acts on one shop. */
export const tenantHeader = (tenantId: string | undefined): Record<string, string> =>
  tenantId ? { 'x-tenant-id': tenantId } : {};

/** `unwrap` for routes whose answer the OpenAPI document describes: the type comes from it. */
export const typed = <D>(call: Promise<{ data?: D; error?: unknown; response: Response }>) =>
  unwrap<NonNullable<D>>(call);
