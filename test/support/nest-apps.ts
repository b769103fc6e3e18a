import type { INestApplicationContext, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { freePort } from './processes';

/**
 * Boots the api in this process on a free port. Env overrides are applied before the module is
 * loaded, because configuration is validated when the module is defined. PUBLIC_BASE_URL points
 * at this api so that simulator callbacks come back to it.
 */
export async function bootApi(
  env: Record<string, string> = {},
): Promise<{ app: NestFastifyApplication; url: string }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  Object.assign(process.env, {
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_BASE_URL: url,
    ...env,
  });
  const { createApiApp } = await import('../../apps/api/src/create-api-app');
  const app = await createApiApp();
  await app.listen(port, '127.0.0.1');
  return { app, url };
}

/** The worker's processors and schedulers in this process, without HTTP. */
export async function bootWorker(
  env: Record<string, string> = {},
): Promise<INestApplicationContext> {
  Object.assign(process.env, env);
  const { WorkerModule } = await import('../../apps/worker/src/worker.module');
  const app = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
  app.enableShutdownHooks();
  return app;
}

/** A Nest context with the payments core over the real database and Redis (no HTTP). */
export async function bootPaymentsCore(): Promise<INestApplicationContext> {
  const { AppConfigModule } = await import('@malipo/common');
  const { DbModule } = await import('@malipo/db');
  const { RedisModule } = await import('@malipo/queue');
  const { PaymentsCoreModule } = await import('@malipo/payments');
  const moduleRef = await Test.createTestingModule({
    imports: [
      AppConfigModule.forRoot(),
      DbModule,
      RedisModule,
      PaymentsCoreModule as Type<unknown>,
    ],
  }).compile();
  await moduleRef.init();
  moduleRef.enableShutdownHooks();
  return moduleRef;
}

let phoneCounter = 0;
const prefix = () =>
  `07${String(process.pid % 100).padStart(2, '0')}${String(Math.floor(Math.random() * 100)).padStart(2, '0')}`;

/** A phone number whose last four digits pick no simulator scenario (5000–5999): it pays. */
export function payingPhone(): string {
  phoneCounter += 1;
  return `${prefix()}5${String(phoneCounter % 1000).padStart(3, '0')}`;
}

let scenarioCounter = Math.floor(Math.random() * 10_000);

/**
 * A phone number ending in the given simulator scenario digits, different from every other one
 * this process made (a repeated number could meet its own earlier prompt's phone lock).
 */
export function scenarioPhone(lastFour: string): string {
  scenarioCounter = (scenarioCounter + 1) % 10_000;
  return `07${String(scenarioCounter).padStart(4, '0')}${lastFour}`;
}

/** 07XXXXXXXX → 2547XXXXXXXX, as the service stores it. */
export const canonical = (phone: string): string => `254${phone.slice(1)}`;
