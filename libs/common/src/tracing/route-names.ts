import { trace } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';
import { tracingEnabled } from './tracing';

/**
 * Names each traced request's server span by its route template (`POST /v1/hooks/stk/:token`)
 * and sets `http.route`, so traces group by route and never by URL. Installed only when tracing
 * runs: untraced requests pay nothing.
 */
export function installTraceRouteNames(fastify: FastifyInstance): void {
  if (!tracingEnabled()) return;
  fastify.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url;
    const span = trace.getActiveSpan();
    if (route && span) {
      span.updateName(`${request.method} ${route}`);
      span.setAttribute('http.route', route);
    }
    done();
  });
}
