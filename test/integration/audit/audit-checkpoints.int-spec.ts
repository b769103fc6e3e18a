import { createPublicKey, verify } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { Test } from '@nestjs/testing';
import {
  AuditCheckpointsRepository,
  AuditKeyring,
  AuditLog,
  PLATFORM_CHAIN_ID,
  checkpointMessage,
  headsAt,
  verifyCheckpointSignature,
  verifyCheckpoints,
  type StoredAuditEntry,
} from '@malipo/audit';
import { schema, type Db } from '@malipo/db';
import { QUEUES } from '@malipo/queue';
import { WebhookEndpointsRepository, WebhookSecrets } from '@malipo/webhooks';
import type { Queue } from 'bullmq';
import { and, asc, eq } from 'drizzle-orm';
import type { Pool } from 'pg';
import { AuditCheckpointer } from '../../../apps/worker/src/audit/audit-checkpointer.service';
import { AuditWorkerModule } from '../../../apps/worker/src/audit/audit-worker.module';
import { extendAuditChain, insertAuditEntries } from '../../factories/audit-chain';
import { connectTestDb, createTenantWithKeys, type TenantWithKeys } from '../../factories/tenancy';

const EVERY = 5;
const INTERVAL_MS = 1_000;

describe(AuditCheckpointer.name, () => {
  let core: INestApplicationContext;
  let sut: AuditCheckpointer;
  let checkpoints: AuditCheckpointsRepository;
  let db: Db;
  let pool: Pool;
  let closeDb: () => Promise<void>;

  beforeAll(async () => {
    Object.assign(process.env, {
      AUDIT_CHECKPOINT_EVERY: String(EVERY),
      AUDIT_CHECKPOINT_INTERVAL_MS: String(INTERVAL_MS),
    });
    const { AppConfigModule } = await import('@malipo/common');
    const { DbModule } = await import('@malipo/db');
    const { RedisModule, QueueModule } = await import('@malipo/queue');
    const moduleRef = await Test.createTestingModule({
      imports: [AppConfigModule.forRoot(), DbModule, RedisModule, QueueModule, AuditWorkerModule],
    }).compile();
    await moduleRef.init();
    core = moduleRef;
    sut = core.get(AuditCheckpointer);
    checkpoints = core.get(AuditCheckpointsRepository);
    ({ db, pool, close: closeDb } = connectTestDb());
  });

  afterAll(async () => {
    await core.close();
    await closeDb();
  });

  /** A shop whose chain the test grows by hand, as the writers would. */
  async function aChain() {
    const shop = await createTenantWithKeys(db);
    let entries: StoredAuditEntry[] = [];
    return {
      shop,
      chainId: shop.tenantId as string,
      entries: () => entries,
      append: async (count: number) => {
        const more = extendAuditChain(entries, shop.tenantId, count);
        await insertAuditEntries(db, more);
        entries = [...entries, ...more];
        // The head moves with them, as the writers move it: a real append would follow on.
        const head = entries[entries.length - 1]!;
        await db
          .update(schema.tenants)
          .set({ auditSeq: head.seq, auditHead: Buffer.from(head.chainHash, 'hex') })
          .where(eq(schema.tenants.id, shop.tenantId));
      },
    };
  }

  /** One round of the worker job, keeping only this chain's checkpoints (other files share the db). */
  async function roundFor(chainId: string) {
    const written = await sut.checkpointDueChains();
    return written.filter((cp) => cp.chainId === chainId).map((cp) => cp.seq);
  }

  /** As a superuser with the append-only triggers off for this session only. */
  async function tamper(statement: string, params: unknown[]) {
    const client = await pool.connect();
    try {
      await client.query('set session_replication_role = replica');
      await client.query(statement, params);
    } finally {
      await client.query('reset session_replication_role');
      client.release();
    }
  }

  const keys = () => core.get(AuditKeyring).verificationKeys();

  it('checkpoints a new chain, then by count, then by time once the last one is old', async () => {
    const chain = await aChain();
    expect(await roundFor(chain.chainId)).toEqual([]);
    await chain.append(1);
    expect(await roundFor(chain.chainId)).toEqual([1]); // a chain's first entry
    await chain.append(EVERY - 1);
    expect(await roundFor(chain.chainId)).toEqual([]); // 4 new, last checkpoint fresh
    await chain.append(1);
    expect(await roundFor(chain.chainId)).toEqual([1 + EVERY]); // by count
    await chain.append(1);
    expect(await roundFor(chain.chainId)).toEqual([]);
    await new Promise((r) => setTimeout(r, INTERVAL_MS + 50));
    expect(await roundFor(chain.chainId)).toEqual([EVERY + 2]); // by time
    await new Promise((r) => setTimeout(r, INTERVAL_MS + 50));
    expect(await roundFor(chain.chainId)).toEqual([]); // nothing new: no checkpoint

    const stored = await checkpoints.list(chain.chainId);
    expect(stored.map((cp) => cp.seq)).toEqual([1, 6, 7]);
    for (const cp of stored) {
      expect(cp.headHash).toBe(chain.entries()[cp.seq - 1].chainHash);
    }
    const heads = headsAt(chain.chainId, chain.entries(), new Set([1, 6, 7]));
    expect(verifyCheckpoints(chain.chainId, stored, (s) => heads.get(s), keys())).toEqual({
      valid: true,
      checked: 3,
      firstBadSeq: null,
    });
  });

  it('detects a checkpoint whose stored signature was altered, at its seq', async () => {
    const chain = await aChain();
    await chain.append(1);
    await sut.checkpointChain(chain.chainId);
    await chain.append(EVERY);
    await sut.checkpointChain(chain.chainId);
    const forged = Buffer.alloc(64, 1);
    await tamper('update audit_checkpoints set signature = $1 where chain_id = $2 and seq = $3', [
      forged,
      chain.chainId,
      1 + EVERY,
    ]);
    const stored = await checkpoints.list(chain.chainId);
    const heads = headsAt(chain.chainId, chain.entries(), new Set(stored.map((c) => c.seq)));
    expect(verifyCheckpoints(chain.chainId, stored, (s) => heads.get(s), keys())).toEqual({
      valid: false,
      checked: 1,
      firstBadSeq: 1 + EVERY,
    });
  });

  it('detects a chain rewritten with consistent hashes at the first checkpoint after the edit', async () => {
    const chain = await aChain();
    await chain.append(2);
    await sut.checkpointChain(chain.chainId); // seq 2
    await chain.append(EVERY);
    await sut.checkpointChain(chain.chainId); // seq 7
    // Rewrite entries 4.. as someone with database access would: every hash recomputed.
    const original = chain.entries();
    const rewritten = [
      ...original.slice(0, 3),
      ...extendAuditChain(original.slice(0, 3), chain.chainId, 4),
    ];
    await tamper('delete from audit_entries where chain_id = $1 and seq > 3', [chain.chainId]);
    await insertAuditEntries(db, rewritten.slice(3));
    const stored = await db
      .select()
      .from(schema.auditEntries)
      .where(eq(schema.auditEntries.chainId, chain.chainId))
      .orderBy(asc(schema.auditEntries.seq));
    expect(stored).toHaveLength(7);
    const list = await checkpoints.list(chain.chainId);
    const heads = headsAt(chain.chainId, rewritten, new Set(list.map((c) => c.seq)));
    expect(verifyCheckpoints(chain.chainId, list, (s) => heads.get(s), keys())).toEqual({
      valid: false,
      checked: 1,
      firstBadSeq: 7,
    });
  });

  it('never signs past an entry that does not verify', async () => {
    const chain = await aChain();
    await chain.append(1);
    await sut.checkpointChain(chain.chainId); // seq 1
    await chain.append(EVERY + 2); // 2..8
    await tamper(
      `update audit_entries set data = '{"amount": 1}'::jsonb where chain_id = $1 and seq = 4`,
      [chain.chainId],
    );
    expect(await sut.checkpointChain(chain.chainId)).toBeUndefined(); // only 2..3 verify: not due
    await new Promise((r) => setTimeout(r, INTERVAL_MS + 50));
    const cp = await sut.checkpointChain(chain.chainId);
    expect(cp?.seq).toBe(3);
    expect(cp?.headHash).toBe(chain.entries()[2].chainHash);
  });

  it('writes one checkpoint however many replicas take the same chain at once', async () => {
    const chain = await aChain();
    await chain.append(3);
    const results = await Promise.all([1, 2, 3, 4].map(() => sut.checkpointChain(chain.chainId)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await checkpoints.list(chain.chainId)).map((c) => c.seq)).toEqual([3]);
  });

  it('queues an audit.checkpoint webhook whose signature verifies with the public key', async () => {
    const chain = await aChain();
    const endpoint = await endpointFor(chain.shop, ['audit.checkpoint']);
    const other = await endpointFor(chain.shop, ['payment.succeeded']);
    await chain.append(2);
    const cp = await sut.checkpointChain(chain.chainId);
    const deliveries = await db
      .select()
      .from(schema.webhookDeliveries)
      .where(eq(schema.webhookDeliveries.tenantId, chain.chainId));
    expect(deliveries.map((d) => [d.endpointId, d.eventType])).toEqual([
      [endpoint.id, 'audit.checkpoint'],
    ]);
    expect(deliveries.some((d) => d.endpointId === other.id)).toBe(false);
    const body = JSON.parse(deliveries[0].payload) as {
      id: string;
      type: string;
      data: Record<string, string | number>;
    };
    expect(body.type).toBe('audit.checkpoint');
    expect(body.data).toEqual({ ...cp, shopId: chain.chainId, algorithm: 'Ed25519' });
    const { publicKeyPem } = core.get(AuditKeyring).publicKeyView();
    const signed = checkpointMessage(
      body.data as unknown as Parameters<typeof checkpointMessage>[0],
    );
    const signature = Buffer.from(String(body.data.signature), 'base64');
    expect(verify(null, signed, createPublicKey(publicKeyPem), signature)).toBe(true);
    const queue = core.get<Queue>(getQueueToken(QUEUES.webhooks));
    expect(await queue.getJob(deliveries[0].id)).toBeDefined();
  });

  it('checkpoints the platform chain without a webhook', async () => {
    // A real platform entry (the head advances), never a row slipped in beside the writers:
    // other files in this run append to the same platform chain.
    await new AuditLog(db).appendAlone(PLATFORM_CHAIN_ID, {
      action: 'test.platform_note',
      subject: {},
      data: {},
    });
    await sut.checkpointChain(PLATFORM_CHAIN_ID);
    const after = await checkpoints.last(db, PLATFORM_CHAIN_ID);
    expect(after).toBeDefined();
    const keys = core.get(AuditKeyring).verificationKeys();
    expect(verifyCheckpointSignature(after!, keys.get(after!.keyId)!)).toBe(true);
    const platformDeliveries = await db
      .select()
      .from(schema.webhookDeliveries)
      .where(
        and(
          eq(schema.webhookDeliveries.tenantId, PLATFORM_CHAIN_ID),
          eq(schema.webhookDeliveries.eventType, 'audit.checkpoint'),
        ),
      );
    expect(platformDeliveries).toEqual([]);
  });

  it('refuses to update or delete a checkpoint (append-only)', async () => {
    const chain = await aChain();
    await chain.append(1);
    await sut.checkpointChain(chain.chainId);
    await expect(
      pool.query('update audit_checkpoints set key_id = $1 where chain_id = $2', [
        'x',
        chain.chainId,
      ]),
    ).rejects.toThrow(/append-only/);
    await expect(
      pool.query('delete from audit_checkpoints where chain_id = $1', [chain.chainId]),
    ).rejects.toThrow(/append-only/);
  });

  async function endpointFor(shop: TenantWithKeys, eventTypes: string[]) {
    const { sealed } = core.get(WebhookSecrets).create();
    return core.get(WebhookEndpointsRepository).insert(shop.tenantId, {
      url: 'http://127.0.0.1:9/hook',
      description: null,
      eventTypes,
      secretSealed: sealed,
    });
  }
});
