import { createHash, createPublicKey, verify } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import { verifyWebhookSignature } from '@malipo/webhooks';
import { AuditCheckpointScheduler } from '../../../apps/worker/src/audit/audit-checkpoint.scheduler';
import { client, eventually } from '../../support/http';
import { startStack, type Stack } from '../../support/stack';
import { startReceiver, type Receiver } from '../webhooks/receiver';

interface CheckpointBody {
  id: string;
  type: string;
  tenantId: string;
  data: {
    shopId: string;
    chainId: string;
    seq: number;
    headHash: string;
    at: string;
    keyId: string;
    signature: string;
    algorithm: string;
  };
}

/** Today in Nairobi (the daily report's day). */
const eatToday = () => new Date(Date.now() + 3 * 3600_000).toISOString().slice(0, 10);

describe('audit checkpoints (api + worker + a shop backend)', () => {
  let stack: Stack;
  let receiver: Receiver;

  beforeAll(async () => {
    stack = await startStack({ env: { WEBHOOK_DISPATCH_EVERY_MS: '100' } });
    receiver = await startReceiver();
  });

  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
  });

  it('publishes the key without an API key; a shop verifies its checkpoint webhook and report with it', async () => {
    const res = await client(stack.api.url).get('/v1/audit/public-key');
    expect(res.status).toBe(200);
    const published = res.data as Record<string, string>;
    expect(published.algorithm).toBe('Ed25519');
    const raw = Buffer.from(published.publicKey, 'base64');
    expect(raw).toHaveLength(32);
    expect(published.keyId).toBe(createHash('sha256').update(raw).digest('hex').slice(0, 16));

    const shop = await stack.shop();
    const owner = client(stack.api.url, shop.ownerKey);
    const created = await owner.post('/v1/webhooks', {
      url: receiver.url,
      eventTypes: ['audit.checkpoint'],
    });
    expect(created.status).toBe(201);
    // The shop's chain so far: its keys, its webhook endpoint (all audited by the api).
    const log = (await owner.get('/v1/audit', { params: { limit: 100 } })).data as {
      data: { seq: number; chainHash: string }[];
    };
    const head = log.data.reduce((a, b) => (b.seq > a.seq ? b : a));
    await stack.worker!.get(AuditCheckpointScheduler).tick();

    const got = await eventually(
      async () => receiver.received,
      (r) => r.length > 0,
    );
    expect(got).toHaveLength(1);
    const body = JSON.parse(got[0].body) as CheckpointBody;
    const secret = (created.data as { secret: string }).secret;
    const header = String(got[0].headers['malipo-signature']);
    expect(verifyWebhookSignature({ body: got[0].body, header, secret })).toBe(true);
    expect(body.type).toBe('audit.checkpoint');
    const cp = body.data;
    expect(cp).toMatchObject({
      shopId: shop.tenantId,
      chainId: shop.tenantId,
      seq: head.seq,
      headHash: head.chainHash,
      keyId: published.keyId,
      algorithm: 'Ed25519',
    });
    // What the shop does (docs/audit.md): RFC 8785 JSON of the five fields, Ed25519, published PEM.
    const message = canonicalize({
      chainId: cp.chainId,
      seq: cp.seq,
      headHash: cp.headHash,
      at: cp.at,
      keyId: cp.keyId,
    });
    const key = createPublicKey(published.publicKeyPem);
    const signature = Buffer.from(cp.signature, 'base64');
    expect(verify(null, Buffer.from(message), key, signature)).toBe(true);
    expect(
      verify(
        null,
        Buffer.from(message.replace(`"seq":${head.seq}`, `"seq":${head.seq + 1}`)),
        key,
        signature,
      ),
    ).toBe(false);

    const report = await owner.get('/v1/reports/daily', { params: { date: eatToday() } });
    expect(report.status).toBe(200);
    expect(report.data.auditCheckpoint).toEqual({
      chainId: cp.chainId,
      seq: cp.seq,
      headHash: cp.headHash,
      at: cp.at,
      keyId: cp.keyId,
      signature: cp.signature,
      algorithm: 'Ed25519',
    });
  });
});
