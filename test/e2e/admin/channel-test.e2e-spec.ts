import axios, { type AxiosResponse } from 'axios';
import { SANDBOX_PAYBILL, type TenantWithKeys } from '../../factories/tenancy';
import { startStack, type Stack } from '../../support/stack';

describe('POST /v1/channels/:id/test', () => {
  let stack: Stack;
  let base: string;
  let a: TenantWithKeys;
  let b: TenantWithKeys;

  const post = (url: string, key: string, body?: unknown): Promise<AxiosResponse> =>
    axios.post(`${base}${url}`, body, {
      headers: { authorization: `Bearer ${key}` },
      validateStatus: () => true,
    });

  beforeAll(async () => {
    stack = await startStack({
      sim: {
        consumerKey: SANDBOX_PAYBILL.consumerKey,
        consumerSecret: SANDBOX_PAYBILL.consumerSecret,
      },
      worker: false,
    });
    base = stack.api.url;
    a = await stack.shop();
    b = await stack.shop();
  });

  afterAll(async () => {
    await stack?.close();
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
