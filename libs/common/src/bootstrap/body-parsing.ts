import type { FastifyInstance, FastifyRequest } from 'fastify';

export type RequestWithRawBody = FastifyRequest & { rawBody?: string };

export interface LenientRoutes {
  /** Routes under this prefix (Daraja callbacks) accept any body, kept raw. */
  prefix: string;
  bodyLimit: number;
}

function unsupportedMediaType(): Error {
  return Object.assign(new Error('Content-Type must be application/json'), {
    statusCode: 415,
    code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
  });
}

/**
 * Body parsing for every app: strict, prototype-safe JSON; empty bodies of any type accepted (a
 * bare POST to cancel); other media types, text/plain included, refused with 415. Routes under
 * `lenient.prefix` (Daraja callbacks) must accept whatever arrives, with any Content-Type or none:
 * the body is kept as raw text on `request.rawBody` and never refused for its shape, so it can be
 * stored and answered 200; the callback code parses it (as JSON, whatever its label).
 */
export function installBodyParsing(fastify: FastifyInstance, lenient?: LenientRoutes): void {
  const isLenient = (req: FastifyRequest) =>
    lenient !== undefined && req.url.startsWith(lenient.prefix);
  if (lenient) {
    // Larger bodies are still read (and stored truncated) on these routes only.
    fastify.addHook('onRoute', (route) => {
      if (route.url.startsWith(lenient.prefix)) route.bodyLimit = lenient.bodyLimit;
    });
  }
  const strictJson = fastify.getDefaultJsonParser('error', 'error');
  // Fastify also parses text/plain by default: that parser must not take callbacks (their body
  // would be lost) nor anything else (the API speaks JSON only).
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (!isLenient(req)) {
      void strictJson(req, body as string, done);
      return;
    }
    (req as RequestWithRawBody).rawBody = body as string;
    done(null, undefined);
  });
  fastify.addContentTypeParser('*', { parseAs: 'string' }, (req, body, done) => {
    if (isLenient(req)) {
      (req as RequestWithRawBody).rawBody = body as string;
      return done(null, undefined);
    }
    if (body === '') return done(null, undefined);
    done(unsupportedMediaType(), undefined);
  });
}
