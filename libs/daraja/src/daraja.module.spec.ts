import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { REDIS } from '@malipo/queue';
import { DarajaClient } from './daraja.client';
import { DarajaModule } from './daraja.module';

/** Stands in for the global RedisModule the apps import. */
@Global()
@Module({ providers: [{ provide: REDIS, useValue: { get: jest.fn() } }], exports: [REDIS] })
class FakeRedisModule {}

describe(DarajaModule.name, () => {
  it('provides a DarajaClient built on the global REDIS connection', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [FakeRedisModule, DarajaModule],
    }).compile();
    expect(moduleRef.get(DarajaClient)).toBeInstanceOf(DarajaClient);
  });
});
