import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { hostOf, type SsrfGuard } from './ssrf-guard';

export const MAX_LOGGED_BODY_BYTES = 1024;

export interface PostResult {
  statusCode: number | null;
  /** At most 1 KB of the answer. */
  body: string | null;
  error: string | null;
  latencyMs: number;
}

export interface PostRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  guard: SsrfGuard;
}

/**
 * One POST with the SSRF guard in the socket's DNS lookup, no redirects (a 3xx is a failure: a
 * redirect could lead anywhere), a hard overall timeout, and only the first KB of the answer read.
 */
export async function postWebhook(req: PostRequest): Promise<PostResult> {
  const started = Date.now();
  const done = (r: Omit<PostResult, 'latencyMs'>): PostResult => ({
    ...r,
    latencyMs: Date.now() - started,
  });
  let url: URL;
  try {
    url = await req.guard.assertAllowed(req.url);
  } catch (error) {
    return done({ statusCode: null, body: null, error: (error as Error).message });
  }
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<PostResult>((resolve) => {
    let settled = false;
    const finish = (r: Omit<PostResult, 'latencyMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(done(r));
    };
    const request = transport.request(
      url,
      {
        method: 'POST',
        headers: { ...req.headers, 'content-length': Buffer.byteLength(req.body).toString() },
        // IP literals skip DNS; assertAllowed has checked them already.
        lookup: isIP(hostOf(url)) ? undefined : req.guard.lookup,
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const complete = () =>
          finish({
            statusCode: response.statusCode ?? null,
            body: Buffer.concat(chunks).subarray(0, MAX_LOGGED_BODY_BYTES).toString('utf8'),
            error: null,
          });
        response.on('data', (chunk: Buffer) => {
          if (size < MAX_LOGGED_BODY_BYTES) chunks.push(chunk);
          size += chunk.length;
          if (size >= MAX_LOGGED_BODY_BYTES) {
            complete();
            response.destroy();
          }
        });
        response.on('end', complete);
        response.on('error', complete);
      },
    );
    const timer = setTimeout(() => {
      request.destroy(new Error(`no answer within ${req.timeoutMs} ms`));
    }, req.timeoutMs);
    request.on('error', (error) =>
      finish({ statusCode: null, body: null, error: error.message.slice(0, 500) }),
    );
    request.end(req.body);
  });
}

export const isSuccess = (r: PostResult): boolean =>
  r.error === null && r.statusCode !== null && r.statusCode >= 200 && r.statusCode < 300;
