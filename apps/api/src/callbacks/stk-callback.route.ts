import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { errorAnswer, type RequestWithRawBody } from '@malipo/common';
import { CallbackReceiverService } from '@malipo/payments';
import { CALLBACK_PREFIX } from './callback-paths';

/**
 * Daraja's STK callback (no "mpesa" or other banned word in the path, REFERENCE §2.4; Daraja
 * signs nothing, so the per-attempt token in the URL is the authentication), served by Fastify
 * directly rather than through Nest's router, guards, interceptors and middleware. None of them
 * applies to it: it is public, never rate-limited (Daraja documents no retry of a refused
 * callback, REFERENCE §4.6), not in the API document, and served to the very end of a stop.
 * Skipping them took about a third of the api's CPU per callback off the hottest route. Errors
 * are answered exactly as the app's error filter answers them (errorAnswer), and a 5xx is logged.
 */
export function installStkCallbackRoute(app: NestFastifyApplication): void {
  const receiver = app.get(CallbackReceiverService);
  const logger = new Logger('StkCallback');
  app
    .getHttpAdapter()
    .getInstance()
    .post<{ Params: { token: string } }>(`${CALLBACK_PREFIX}stk/:token`, async (req, reply) => {
      try {
        const ack = await receiver.receive({
          token: req.params.token,
          rawBody: (req as RequestWithRawBody).rawBody,
          ip: req.ip,
          headers: req.headers,
        });
        return await reply.code(200).send(ack);
      } catch (error) {
        const { status, body } = errorAnswer(error, String(req.id));
        if (status >= 500) logger.error({ err: error, requestId: req.id }, 'callback not accepted');
        return reply.code(status).send(body);
      }
    });
}
