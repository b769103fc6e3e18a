import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import type { INestApplicationContext } from '@nestjs/common';
import { DEV_AUDIT_SIGNING_KEY, asTenantId, type TenantId } from '@malipo/common';
import { DiscrepanciesRepository, PaymentService } from '@malipo/payments';
import { eq } from 'drizzle-orm';
import { AuditChainCheckJob } from '../../../apps/worker/src/audit/audit-chain-check.job';
import { schema, type Db } from '@malipo/db';
import type { Pool } from 'pg';
import { bootPaymentsCore } from '../../../test/support/nest-apps';
import { connectTestDb, createTenantWithKeys } from '../../../test/factories/tenancy';
import { createAcceptedPayment } from '../../../test/factories/payments';
import { AuditLog } from './audit-log';
import { AuditRepository } from './audit.repository';
import { AuditVerifier } from './audit-verifier.service';
import { AuditCheckpointsRepository } from './audit-checkpoints.repository';
import { AuditKeyring } from './audit-keyring';
import { verifyExport } from './audit-export';
import { chainHash, genesisHash, leafHash, type AuditEntryContent } from './hash-chain';
import { runAsActor } from './actor';

const run = promisify(execFile);

describe('audit chain over PostgreSQL', () => {
  let core: INestApplicationContext;
  let db: Db;
  let pool: Pool;
  let close: () => Promise<void>;
  let log: AuditLog;
  let repo: AuditRepository;
  let sut: AuditVerifier;
  let checkpoints: AuditCheckpointsRepository;
  const keyring = new AuditKeyring(DEV_AUDIT_SIGNING_KEY);

  beforeAll(async () => {
    core = await bootPaymentsCore();
    ({ db, pool, close } = connectTestDb());
    log = new AuditLog(db);
    repo = new AuditRepository(db);
    checkpoints = new AuditCheckpointsRepository(db);
    sut = new AuditVerifier(repo, checkpoints, keyring);
  });

  afterAll(async () => {
    await core?.close();
    await close?.();
  });

  /** A shop whose chain holds payment events and other entries: six or more, all valid. */
  async function auditedShop(): Promise<{ tenantId: TenantId; channelId: string }> {
    const t = await createTenantWithKeys(db);
    const tenantId = asTenantId(t.tenantId);
    const shop = { tenantId, channelId: t.channelId };
    const p = await runAsActor({ kind: 'system', job: 'test' }, () =>
      createAcceptedPayment(core, shop),
    );
    await core.get(PaymentService).apply(
      tenantId,
      p.paymentId,
      {
        type: 'paid',
        attemptId: p.attemptId,
        receipt: `R${Date.now().toString(36).toUpperCase()}${Math.floor(Math.random() * 1e6)}`,
        amount: p.amount,
        paidAt: new Date().toISOString(),
      },
      { source: 'callback', actor: { kind: 'daraja', ip: '196.201.214.200' } },
    );
    for (const n of [1, 2, 3]) {
      await log.appendAlone(tenantId, { action: 'test.note', subject: { n }, data: { n } });
    }
    return shop;
  }

  /** Runs statements as a superuser with the append-only trigger switched off. */
  async function asSuperuserWithoutTriggers(statements: [string, unknown[]][]): Promise<void> {
    const client = await pool.connect();
    try {
      await client.query('begin');
      await client.query('set local session_replication_role = replica');
      for (const [text, values] of statements) await client.query(text, values);
      await client.query('commit');
    } finally {
      client.release();
    }
  }

  async function offline(tenantId: string) {
    const lines: string[] = [];
    const signed = await checkpoints.list(tenantId);
    for await (const line of repo.exportLines(tenantId, signed)) lines.push(line);
    return verifyExport(lines, { keys: keyring.verificationKeys() });
  }

  /** Signs the chain's head after `seq` as the worker does, and stores the checkpoint. */
  async function checkpointAt(tenantId: string, seq: number) {
    const [entry] = await repo.page(tenantId, seq - 1, 1);
    const cp = keyring.sign({
      chainId: tenantId,
      seq,
      headHash: entry!.chainHash,
      at: new Date().toISOString(),
    });
    await db.transaction((tx) => checkpoints.insert(tx, cp));
    return cp;
  }

  /** Entry `seq` edited, and every hash from it to the head recomputed, as a forger would. */
  async function rewriteFrom(tenantId: string, seq: number) {
    const entries = await repo.page(tenantId, 0, 1000);
    let previous =
      seq === 1 ? genesisHash(tenantId) : Buffer.from(entries[seq - 2]!.chainHash, 'hex');
    const statements: [string, unknown[]][] = [];
    for (const { leafHash: _l, chainHash: _c, ...content } of entries.slice(seq - 1)) {
      const edited = content.seq === seq ? { ...content, data: { forged: true } } : content;
      const leaf = leafHash(edited as AuditEntryContent);
      previous = chainHash(previous, leaf);
      statements.push([
        `update audit_entries set data = $3, leaf_hash = $4, chain_hash = $5 ${where} and seq = $2`,
        [tenantId, content.seq, JSON.stringify(edited.data), leaf, previous],
      ]);
    }
    statements.push([`update tenants set audit_head = $2 where id = $1`, [tenantId, previous]]);
    await asSuperuserWithoutTriggers(statements);
  }

  it('writes payment events and other entries as one valid chain, hashed by SQL as by the scheme', async () => {
    const { tenantId } = await auditedShop();
    const entries = await repo.page(tenantId, 0, 100);
    expect(entries.map((e) => e.action)).toEqual([
      'payment.created',
      'payment.stk_accepted',
      'payment.paid',
      'test.note',
      'test.note',
      'test.note',
    ]);
    expect(entries[2].actor).toEqual({ kind: 'daraja', ip: '196.201.214.200' });
    expect(entries[0].actor).toEqual({ kind: 'system', job: 'test' });
    let previous = genesisHash(tenantId);
    for (const { leafHash: leaf, chainHash: chain, ...content } of entries) {
      const expectedLeaf = leafHash(content as AuditEntryContent);
      expect(leaf).toBe(expectedLeaf.toString('hex'));
      previous = chainHash(previous, expectedLeaf);
      expect(chain).toBe(previous.toString('hex'));
    }
    await expect(sut.verify(tenantId)).resolves.toEqual({
      valid: true,
      checked: 6,
      firstBadSeq: null,
      checkpoints: 0,
    });
    await expect(offline(tenantId)).resolves.toMatchObject({ valid: true, checked: 6 });
  });

  it('refuses updates and deletes while the trigger is on', async () => {
    const { tenantId } = await auditedShop();
    await expect(
      pool.query(`update audit_entries set action = 'x' where chain_id = $1`, [tenantId]),
    ).rejects.toThrow(/append-only/);
    await expect(
      pool.query(`delete from audit_entries where chain_id = $1`, [tenantId]),
    ).rejects.toThrow(/append-only/);
  });

  const where = 'where chain_id = $1';
  const tampering: [string, (id: string) => Promise<void>, number][] = [
    [
      'an edited row',
      (id) =>
        asSuperuserWithoutTriggers([
          [`update audit_entries set data = '{"forged":true}' ${where} and seq = 3`, [id]],
        ]),
      3,
    ],
    [
      'a deleted row',
      (id) =>
        asSuperuserWithoutTriggers([[`delete from audit_entries ${where} and seq = 4`, [id]]]),
      4,
    ],
    [
      'a deleted tail',
      (id) =>
        asSuperuserWithoutTriggers([[`delete from audit_entries ${where} and seq >= 5`, [id]]]),
      5,
    ],
    [
      'two reordered rows',
      (id) =>
        asSuperuserWithoutTriggers([
          [`update audit_entries set seq = 100 ${where} and seq = 2`, [id]],
          [`update audit_entries set seq = 2 ${where} and seq = 3`, [id]],
          [`update audit_entries set seq = 3 ${where} and seq = 100`, [id]],
        ]),
      2,
    ],
    [
      // A row forged with correct hashes at 3 chains; the genuine row it pushed to 4 no longer does.
      'an inserted row',
      async (id) => {
        const [second] = await repo.page(id, 1, 1);
        const forged: AuditEntryContent = {
          chainId: id,
          seq: 3,
          at: new Date().toISOString(),
          actor: { kind: 'system', job: 'forger' },
          action: 'test.forged',
          subject: {},
          data: {},
        };
        const leaf = leafHash(forged);
        const chain = chainHash(Buffer.from(second.chainHash, 'hex'), leaf);
        await asSuperuserWithoutTriggers([
          [`update audit_entries set seq = seq + 1000 ${where} and seq >= 3`, [id]],
          [`update audit_entries set seq = seq - 999 ${where} and seq >= 1000`, [id]],
          [
            `insert into audit_entries (chain_id, seq, at, actor, action, subject, data, leaf_hash, chain_hash)
             values ($1, 3, $2, $3, $4, '{}', '{}', $5, $6)`,
            [id, forged.at, JSON.stringify(forged.actor), forged.action, leaf, chain],
          ],
        ]);
      },
      4,
    ],
  ];

  it.each(tampering)(
    'finds %s at its exact seq, in the database and in the export',
    async (_name, tamper, firstBadSeq) => {
      const { tenantId } = await auditedShop();
      await tamper(tenantId);
      await expect(sut.verify(tenantId)).resolves.toMatchObject({ valid: false, firstBadSeq });
      await expect(offline(tenantId)).resolves.toMatchObject({ valid: false, firstBadSeq });
    },
  );

  it('checks signed checkpoints: counts good ones, finds a forged signature at its seq', async () => {
    const { tenantId } = await auditedShop();
    await checkpointAt(tenantId, 3);
    const forged = await checkpointAt(tenantId, 5);
    const verdict = { valid: true, checked: 6, firstBadSeq: null, checkpoints: 2 };
    await expect(sut.verify(tenantId)).resolves.toEqual(verdict);
    await expect(offline(tenantId)).resolves.toMatchObject(verdict);
    const signature = Buffer.from(forged.signature, 'base64');
    signature[0] ^= 0xff;
    await asSuperuserWithoutTriggers([
      [
        `update audit_checkpoints set signature = $3 where chain_id = $1 and seq = $2`,
        [tenantId, 5, signature],
      ],
    ]);
    const bad = { valid: false, checked: 6, firstBadSeq: 5, checkpoints: 1 };
    await expect(sut.verify(tenantId)).resolves.toEqual(bad);
    await expect(offline(tenantId)).resolves.toMatchObject(bad);
  });

  it('finds a chain rewritten with every hash recomputed at the first checkpoint over it', async () => {
    const { tenantId } = await auditedShop();
    await checkpointAt(tenantId, 2);
    await checkpointAt(tenantId, 4);
    await rewriteFrom(tenantId, 3);
    const verdict = { valid: false, checked: 6, firstBadSeq: 4, checkpoints: 1 };
    await expect(sut.verify(tenantId)).resolves.toEqual(verdict);
    await expect(offline(tenantId)).resolves.toMatchObject(verdict);
    // Without the checkpoints the rewrite is invisible: that is what they are for.
    const lines: string[] = [];
    for await (const line of repo.exportLines(tenantId)) lines.push(line);
    expect(verifyExport(lines)).toMatchObject({ valid: true, checkpointsUnverified: 0 });
  });

  it('the nightly check opens an audit_chain_broken discrepancy for a broken shop only', async () => {
    const broken = await auditedShop();
    const intact = await auditedShop();
    await tampering[0][1](broken.tenantId);
    const job = new AuditChainCheckJob(repo, sut, new DiscrepanciesRepository());
    const found = await job.checkAll();
    expect(found).toContain(broken.tenantId);
    expect(found).not.toContain(intact.tenantId);
    const rows = await db
      .select()
      .from(schema.discrepancies)
      .where(eq(schema.discrepancies.kind, 'audit_chain_broken'));
    expect(rows.filter((r) => r.tenantId === broken.tenantId)).toHaveLength(1);
    expect(rows.some((r) => r.tenantId === intact.tenantId)).toBe(false);
  });

  it('npm run audit:verify prints the verdict and exits non-zero for a broken export', async () => {
    const { tenantId } = await auditedShop();
    await tampering[0][1](tenantId);
    const lines: string[] = [];
    for await (const line of repo.exportLines(tenantId)) lines.push(line);
    const file = join(tmpdir(), `audit-${tenantId}.jsonl`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    const failure = await run('npm', ['run', '-s', 'audit:verify', '--', file]).catch(
      (e: { code: number; stdout: string }) => e,
    );
    expect('code' in failure && failure.code).toBe(1);
    expect(JSON.parse(failure.stdout)).toMatchObject({ valid: false, firstBadSeq: 3 });
  });

  it("npm run audit:verify catches a rewrite with the shop's own checkpoints, even with Malipo's deleted", async () => {
    const { tenantId } = await auditedShop();
    const kept = await checkpointAt(tenantId, 4);
    const dir = tmpdir();
    const keptFile = join(dir, `kept-${tenantId}.jsonl`);
    // What the shop stored from its audit.checkpoint webhook.
    const webhook = { type: 'audit.checkpoint', data: { ...kept, shopId: tenantId } };
    writeFileSync(keptFile, `${JSON.stringify(webhook)}\n`);
    const keyFile = join(dir, `key-${tenantId}.pem`);
    writeFileSync(keyFile, keyring.publicKeyView().publicKeyPem);
    await rewriteFrom(tenantId, 3);
    await asSuperuserWithoutTriggers([[`delete from audit_checkpoints ${where}`, [tenantId]]]);
    const lines: string[] = [];
    for await (const line of repo.exportLines(tenantId, await checkpoints.list(tenantId))) {
      lines.push(line);
    }
    const file = join(dir, `rewritten-${tenantId}.jsonl`);
    writeFileSync(file, `${lines.join('\n')}\n`);

    const blind = await run('npm', ['run', '-s', 'audit:verify', '--', file, '--key', keyFile]);
    expect(JSON.parse(blind.stdout)).toMatchObject({ valid: true, checkpoints: 0 });
    const args = ['run', '-s', 'audit:verify', '--', file, '--key', keyFile];
    const caught = await run('npm', [...args, '--checkpoints', keptFile]).catch(
      (e: { code: number; stdout: string }) => e,
    );
    expect('code' in caught && caught.code).toBe(1);
    expect(JSON.parse(caught.stdout)).toMatchObject({ valid: false, firstBadSeq: 4, checked: 6 });
  });

  it('keeps one unbroken, gap-free chain under concurrent payment changes and appends (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom('payment', 'append'), { minLength: 2, maxLength: 8 }),
        async (kinds) => {
          const t = await createTenantWithKeys(db);
          const shop = { tenantId: asTenantId(t.tenantId), channelId: t.channelId };
          await Promise.all(
            kinds.map((kind, i) =>
              kind === 'payment'
                ? createAcceptedPayment(core, shop)
                : log.appendAlone(shop.tenantId, { action: 'test.note', subject: { i }, data: {} }),
            ),
          );
          const expected = kinds.reduce((n, k) => n + (k === 'payment' ? 2 : 1), 0);
          const verdict = await sut.verify(shop.tenantId);
          expect(verdict).toEqual({
            valid: true,
            checked: expected,
            firstBadSeq: null,
            checkpoints: 0,
          });
        },
      ),
      { numRuns: 8 },
    );
  });
});
