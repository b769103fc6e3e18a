import type { Actor } from './actor';
import {
  GENESIS_DOMAIN,
  canonicalAroundSeq,
  type AuditEntryBody,
  type AuditJson,
} from './hash-chain';

/** What a change records about itself; the actor, time and chain position are added. */
export interface AuditRecord {
  /** `payment.paid`, `key.created`, `ops.read`, ... */
  action: string;
  subject: Record<string, AuditJson | undefined>;
  data: Record<string, AuditJson | undefined>;
}

/** Number of statement parameters `auditValues` fills. */
export const AUDIT_PARAM_COUNT = 7;

/**
 * A value as jsonb will give it back (undefined members dropped, dates as ISO text), so the
 * hash computed now and the one a verifier recomputes from the stored row agree.
 */
function asJson(value: object): { [key: string]: AuditJson } {
  return JSON.parse(JSON.stringify(value)) as { [key: string]: AuditJson };
}

/**
 * The parameters of one entry, in the order `auditSqlParts` numbers them: the canonical text
 * around seq (prefix, suffix), then at, actor, action, subject and data as stored.
 */
export function auditValues(
  chainId: string,
  record: AuditRecord,
  actor: Actor,
  at: Date = new Date(),
): unknown[] {
  const body: AuditEntryBody = {
    chainId,
    at: at.toISOString(),
    actor: asJson(actor),
    action: record.action,
    subject: asJson(record.subject),
    data: asJson(record.data),
  };
  const { prefix, suffix } = canonicalAroundSeq(body);
  return [
    prefix,
    suffix,
    body.at,
    JSON.stringify(body.actor),
    body.action,
    JSON.stringify(body.subject),
    JSON.stringify(body.data),
  ];
}

/**
 * SQL that advances a chain head and inserts its entry in the same statement, under the lock of
 * the head's row (the shop's tenants row, or audit_platform_head): see hash-chain.ts for the
 * scheme. `first` is the number of the first of the AUDIT_PARAM_COUNT parameters.
 */
export function auditSqlParts(first: number) {
  const p = (i: number) => `$${first + i}`;
  const leaf = (seq: string) =>
    `sha256(convert_to(${p(0)}::text || (${seq})::text || ${p(1)}::text, 'UTF8'))`;
  return {
    /** SET members for the head row; `chainIdText` is SQL for the chain id as text. */
    advanceHead: (chainIdText: string) =>
      `audit_seq = audit_seq + 1, audit_head = sha256(coalesce(audit_head,
        sha256(convert_to('${GENESIS_DOMAIN}' || ${chainIdText}, 'UTF8'))) || ${leaf('audit_seq + 1')})`,
    /** INSERT of the entry from `head`, a CTE returning the advanced audit_seq and audit_head. */
    insertFrom: (chainIdSql: string, head: string) =>
      `insert into audit_entries
        (chain_id, seq, at, actor, action, subject, data, leaf_hash, chain_hash)
      select ${chainIdSql}, ${head}.audit_seq, ${p(2)}::timestamptz, ${p(3)}::jsonb, ${p(4)}::text,
        ${p(5)}::jsonb, ${p(6)}::jsonb, ${leaf(`${head}.audit_seq`)}, ${head}.audit_head
      from ${head}`,
  };
}
