import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ShutdownState } from '@malipo/common';
import { CALLBACK_PREFIX } from '../callbacks/callback-paths';

const isCallback = (name: string) => name.includes(` ${CALLBACK_PREFIX}`);

/**
 * Counts every HTTP request in flight under its route, and while stopping answers each with
 * `Connection: close`, so kept-alive clients (a load balancer, a POS, Daraja) open their next
 * request on a fresh connection: to another replica once readiness is 503, or to us while we
 * still listen. Socket.io's own traffic never reaches these hooks.
 */
export function installStopHooks(app: NestFastifyApplication, state: ShutdownState): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (req, reply, done) => {
    const finished = state.track(`${req.method} ${req.routeOptions.url ?? 'unrouted'}`);
    reply.raw.once('close', finished);
    done();
  });
  fastify.addHook('onSend', (_req, reply, payload, done) => {
    if (state.draining) void reply.header('connection', 'close');
    done(null, payload);
  });
}

/**
 * The api's stop (DESIGN "Stopping"): readiness 503 at once and new pushes refused (StoppingGuard);
 * callbacks are still received and stored while the drain window lets load balancers notice and
 * every request that is not a callback (a push waiting on Daraja above all) finishes and records
 * its answer; then socket.io and the HTTP server close (requests in flight complete, idle
 * keep-alive sockets are closed) and PostgreSQL and Redis last.
 */
export async function stopGracefully(
  app: NestFastifyApplication,
  state: ShutdownState,
  drainMs: number,
): Promise<void> {
  state.begin();
  const busy = () => state.count((name) => !isCallback(name)) > 0;
  while (state.drainingForMs < drainMs || busy()) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  await app.close();
}
