import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { AppConfig, SecretBox } from '@malipo/common';
import { ApiKeysRepository, DRIZZLE, type Db } from '@malipo/db';
import { assertNoActiveDemoKeys, demoBanner, seedDemo } from './demo-seed';

/**
 * Simulator mode: seeds the demo tenant and prints its keys on stdout (never through the logger,
 * so keys stay out of log lines). Production: refuses to boot while demo keys are active.
 */
@Injectable()
export class DemoSeeder implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    private readonly config: AppConfig,
    private readonly box: SecretBox,
    private readonly keys: ApiKeysRepository,
    @Inject(DRIZZLE) private readonly db: Db,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.NODE_ENV === 'production') await assertNoActiveDemoKeys(this.keys);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.DARAJA_MODE !== 'simulator' || this.config.NODE_ENV === 'test') return;
    const seed = await seedDemo({ db: this.db, box: this.box }, this.config);
    const host = ['0.0.0.0', '::'].includes(this.config.HOST) ? '127.0.0.1' : this.config.HOST;
    process.stdout.write(`${demoBanner(seed, `http://${host}:${this.config.PORT}`)}\n`);
  }
}
