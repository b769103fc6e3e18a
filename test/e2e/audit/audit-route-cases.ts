/**
 * One row per mutating operation of the api's OpenAPI document: how to call it successfully, as
 * whom, and exactly which audit entries that call must write. Rows run in order; `prepare` may
 * write entries of its own (they are not counted), `call` makes the one measured request.
 */
import { randomUUID } from 'node:crypto';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { sim, type CallerName, type World } from './audit-walk-harness';

export interface RouteCase {
  /** As the OpenAPI document names it: `POST /v1/payments/{id}/cancel`. */
  route: string;
  as: CallerName;
  /** The shop acted on (default `main`). */
  shop?: 'main' | 'rev';
  /** Platform-level actions go to the platform chain. */
  chain?: 'platform';
  /** The actions the call writes, in order; by design one per payment event where it makes them. */
  expect: string[];
  prepare?: (w: World) => Promise<void>;
  call: (http: AxiosInstance, w: World) => Promise<AxiosResponse>;
}

const sessionCases: RouteCase[] = [
  {
    route: 'POST /v1/session',
    as: 'session',
    expect: ['session.signed_in'],
    call: async (http, w) => {
      const res = await http.post('/v1/session', { apiKey: w.main.ownerKey });
      const cookie = String(res.headers['set-cookie']?.[0] ?? '').split(';')[0];
      w.session = { cookie, csrf: res.data.csrfToken as string };
      w.secrets.add(cookie.split('=')[1] ?? cookie).add(res.data.csrfToken as string);
      return res;
    },
  },
  {
    route: 'DELETE /v1/session',
    as: 'session',
    expect: ['session.signed_out'],
    call: (http) => http.delete('/v1/session'),
  },
];

const adminCases: RouteCase[] = [
  {
    route: 'POST /v1/tenants',
    as: 'ops',
    chain: 'platform',
    expect: ['tenant.created'],
    call: (http) => http.post('/v1/tenants', { name: `Walk ${randomUUID()}` }),
  },
  {
    route: 'POST /v1/channels',
    as: 'owner',
    expect: ['channel.created'],
    call: async (http, w) => {
      const secret = `S3cret-${randomUUID()}`;
      w.secrets.add(secret);
      const res = await http.post('/v1/channels', {
        name: 'Second till',
        kind: 'till',
        shortcode: '600100',
        partyB: '600200',
        environment: 'simulator',
        passkey: secret,
        consumerKey: `K-${secret}`,
        consumerSecret: `C-${secret}`,
      });
      w.ids.channel = res.data.id as string;
      return res;
    },
  },
  {
    route: 'PATCH /v1/channels/{id}',
    as: 'owner',
    expect: ['channel.updated'],
    call: (http, w) => http.patch(`/v1/channels/${w.ids.channel}`, { confirmWithQuery: true }),
  },
  {
    route: 'POST /v1/channels/{id}/test',
    as: 'owner',
    expect: ['channel.tested'],
    call: (http, w) => http.post(`/v1/channels/${w.main.channelId}/test`),
  },
  {
    route: 'PUT /v1/channels/{id}/initiator',
    as: 'owner',
    shop: 'rev',
    expect: ['channel.updated'],
    // Its results never arrive, so the reversal rows below change nothing after their call.
    prepare: async (w) => {
      sim(w).results.initiators.add({
        name: 'walkop',
        password: 'Walk#pw1',
        roles: ['status', 'reversal', 'balance'],
        delivery: 'never',
      });
      w.secrets.add('Walk#pw1');
      w.ids.certificate = (await axios.get<string>(`${w.stack.sim.url}/sim/certificate`)).data;
    },
    call: (http, w) =>
      http.put(`/v1/channels/${w.rev.channelId}/initiator`, {
        initiatorName: 'walkop',
        initiatorPassword: 'Walk#pw1',
        certificatePem: w.ids.certificate,
      }),
  },
  {
    route: 'PUT /v1/channels/{id}/limits',
    as: 'owner',
    expect: ['channel.updated'],
    call: (http, w) => http.put(`/v1/channels/${w.ids.channel}/limits`, { maxAmount: 5000 }),
  },
  {
    route: 'POST /v1/terminals',
    as: 'owner',
    expect: ['terminal.created'],
    call: (http) => http.post('/v1/terminals', { name: 'Till 2', code: `t-${Date.now()}` }),
  },
  {
    route: 'POST /v1/keys',
    as: 'owner',
    expect: ['key.created'],
    call: async (http, w) => {
      const res = await http.post('/v1/keys', { role: 'owner', name: 'Walk key' });
      w.ids.key = res.data.id as string;
      w.secrets.add(res.data.key as string);
      return res;
    },
  },
  {
    route: 'POST /v1/keys/{id}/revoke',
    as: 'owner',
    expect: ['key.revoked'],
    call: (http, w) => http.post(`/v1/keys/${w.ids.key}/revoke`),
  },
  {
    route: 'POST /v1/channels/{id}/c2b/register',
    as: 'owner',
    expect: ['channel.c2b_registration'],
    call: (http, w) => http.post(`/v1/channels/${w.main.channelId}/c2b/register`, {}),
  },
];

const webhookCases: RouteCase[] = [
  {
    route: 'POST /v1/webhooks',
    as: 'owner',
    expect: ['webhook.created'],
    call: async (http, w) => {
      const res = await http.post('/v1/webhooks', {
        url: w.receiver.url,
        eventTypes: ['payment.updated'],
      });
      w.ids.endpoint = res.data.id as string;
      w.secrets.add(res.data.secret as string);
      return res;
    },
  },
  {
    route: 'PATCH /v1/webhooks/{id}',
    as: 'owner',
    expect: ['webhook.updated'],
    call: (http, w) => http.patch(`/v1/webhooks/${w.ids.endpoint}`, { description: 'Orders' }),
  },
  {
    route: 'POST /v1/webhooks/{id}/rotate-secret',
    as: 'owner',
    expect: ['webhook.secret_rotated'],
    call: async (http, w) => {
      const res = await http.post(`/v1/webhooks/${w.ids.endpoint}/rotate-secret`, {});
      w.secrets.add(res.data.secret as string);
      return res;
    },
  },
];

export const FIRST_CASES: RouteCase[] = [...sessionCases, ...adminCases, ...webhookCases];
