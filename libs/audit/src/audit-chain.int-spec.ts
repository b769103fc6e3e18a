import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import type { INestApplicationContext } from '@nestjs/common';
import { asTenantId, type TenantId } from '@malipo/common';
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

  beforeAll(async () => {
    core = await bootPaymentsCore();
    ({ db, pool, close } = connectTestDb());
    log = new AuditLog(db);
    repo = new AuditRepository(db);
    sut = new AuditVerifier(repo);
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
    for await (const line of repo.exportLines(tenantId)) lines.push(line);
    return verifyExport(lines);
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
          expect(verdict).toEqual({ valid: true, checked: expected, firstBadSeq: null });
        },
      ),
      { numRuns: 8 },
    );
  });
});
