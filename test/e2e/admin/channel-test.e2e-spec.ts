import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import axios, { type AxiosResponse } from 'axios';
import { startDarajaSim, type RunningDarajaSim } from '../../../apps/daraja-sim/src/start-sim';
import {
  SANDBOX_PAYBILL,
  connectTestDb,
  createTenantWithKeys,
  type TenantWithKeys,
} from '../../factories/tenancy';
import { freePort } from '../../support/processes';

describe('POST /v1/channels/:id/test', () => {
  const testDb = connectTestDb();
  let sim: RunningDarajaSim;
  let app: NestFastifyApplication;
  let base: string;
  let a: TenantWithKeys;
  let b: TenantWithKeys;

  const post = (url: string, key: string, body?: unknown): Promise<AxiosResponse> =>
    axios.post(`${base}${url}`, body, {
      headers: { authorization: `Bearer ${key}` },
      validateStatus: () => true,
    });

  beforeAll(async () => {
    sim = await startDarajaSim({
      consumerKey: SANDBOX_PAYBILL.consumerKey,
      consumerSecret: SANDBOX_PAYBILL.consumerSecret,
      logLevel: 'silent',
    });
    // Config is read when the api module is defined, so point it at the simulator first.
    process.env.DARAJA_SIM_URL = sim.url;
    const { createHttpApp } = await import('@malipo/common');
    const { ApiModule } = await import('../../../apps/api/src/api.module');
    app = await createHttpApp(ApiModule);
    const port = await freePort();
    await app.listen(port, '127.0.0.1');
    base = `http://127.0.0.1:${port}`;
    a = await createTenantWithKeys(testDb.db);
    b = await createTenantWithKeys(testDb.db);
  });

  afterAll(async () => {
    await app?.close();
    await sim?.close();
    await testDb.close();
  });

  it('answers ok for working consumer credentials', async () => {
    const res = await post(`/v1/channels/${a.channelId}/test`, a.ownerKey);
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ ok: true });
  });

  it('names the consumer credentials when the secret is wrong, without echoing it', async () => {
    const wrongSecret = 'definitely-not-the-secret-9f3a';
    const channel = await post('/v1/channels', a.ownerKey, {
      name: 'Wrong secret',
      kind: 'paybill',
      shortcode: SANDBOX_PAYBILL.shortcode,
      environment: 'simulator',
      passkey: SANDBOX_PAYBILL.passkey,
      consumerKey: SANDBOX_PAYBILL.consumerKey,
      consumerSecret: wrongSecret,
    });
    expect(channel.status).toBe(201);
    const res = await post(`/v1/channels/${channel.data.id}/test`, a.ownerKey);
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ ok: false, reason: 'consumer_credentials' });
    const text = JSON.stringify(res.data);
    expect(text).not.toContain(wrongSecret);
    expect(text).not.toContain(SANDBOX_PAYBILL.passkey);
  });

  it("is 404 for another tenant's channel and 403 for terminal keys", async () => {
    expect((await post(`/v1/channels/${b.channelId}/test`, a.ownerKey)).status).toBe(404);
    expect((await post(`/v1/channels/${a.channelId}/test`, a.terminalKey)).status).toBe(403);
  });
});
