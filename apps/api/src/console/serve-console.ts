import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';

export const CONSOLE_PREFIX = '/console';

/** The repository root: the nearest folder above this file with a package.json (src or dist). */
function repositoryRoot(from: string): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) {
    dir = path.dirname(dir);
  }
  return dir;
}

export const consoleBuildDir = (): string =>
  path.join(repositoryRoot(__dirname), 'dist', 'console');

const NOT_BUILT =
  '<!doctype html><title>Malipo console</title><p>The console is not built: run npm run build.</p>';

/** No inline script or style, nothing from another origin, never framed. */
const CSP = {
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    fontSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
};

/**
 * Serves the built console under /console: hashed assets cached for good, index.html never
 * cached, and every other path under /console answered with index.html (client-side routes).
 * Helmet (strict CSP) applies to these routes only: Swagger UI at /docs needs inline script.
 */
export async function serveConsole(app: NestFastifyApplication): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  const root = consoleBuildDir();
  const indexFile = path.join(root, 'index.html');
  const index = existsSync(indexFile) ? readFileSync(indexFile, 'utf8') : NOT_BUILT;
  await fastify.register(helmet, { global: false, contentSecurityPolicy: CSP });
  await fastify.register(async (scope) => {
    scope.addHook('onRequest', async (_request, reply) => {
      await reply.helmet();
    });
    if (existsSync(path.join(root, 'assets'))) {
      await scope.register(fastifyStatic, {
        root: path.join(root, 'assets'),
        prefix: `${CONSOLE_PREFIX}/assets/`,
        decorateReply: false,
        index: false,
        immutable: true,
        maxAge: '365d',
      });
    }
    const sendIndex = (_request: unknown, reply: FastifyReply) =>
      reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(index);
    scope.get(CONSOLE_PREFIX, sendIndex);
    scope.get(`${CONSOLE_PREFIX}/*`, sendIndex);
  });
}
