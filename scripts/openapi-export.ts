import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { applyDevDefaults } from './dev-defaults';

/**
 * Writes the api's OpenAPI document without connecting to anything (Nest preview mode), for
 * `npm run console:api-types`, which generates the console's client types from it.
 */
async function main(): Promise<void> {
  applyDevDefaults(process.env);
  process.env.LOG_LEVEL = 'silent';
  process.env.LOG_PRETTY = 'false';
  const { ApiModule } = await import('../apps/api/src/api.module');
  const { openApiDocument } = await import('../apps/api/src/openapi');
  const app = await NestFactory.create(ApiModule, new FastifyAdapter(), {
    preview: true,
    logger: false,
  });
  const out = process.argv[2] ?? 'dist/openapi.json';
  writeFileSync(out, `${JSON.stringify(openApiDocument(app), null, 2)}\n`);
  process.stdout.write(`openapi: wrote ${out}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`openapi: ${String(error)}\n`);
    process.exit(1);
  },
);
