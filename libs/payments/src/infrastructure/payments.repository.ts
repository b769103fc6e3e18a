import { Inject, Injectable } from '@nestjs/common';
import type { TenantId } from '@malipo/common';
import {
  DRIZZLE,
  RowShape,
  StatementCache,
  pgClientOf,
  schema,
  type Db,
  type DbOrTx,
} from '@malipo/db';
import { randomUUID } from 'node:crypto';
import { canonicalReceipt } from '@malipo/daraja';
import { auditSqlParts } from '@malipo/audit';
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { PaymentStatus } from '../domain';
import type { AttemptRow, AttemptState, PaymentEventRow, PaymentRow } from './payment-rows';
import { snapshotOf } from './payment-snapshot';
import { paymentAuditValues, type PaymentAudit } from './payment-audit';

/** The receipt condition that uses `payments_receipt_uq` (on upper(receipt)). */
export const receiptIs = (receipt: string): SQL =>
  sql`upper(${schema.payments.receipt}) = ${canonicalReceipt(receipt)}`;

const { payments, paymentAttempts, paymentEvents } = schema;

/** Shapes and prepared statements of the hot path (see libs/db/src/prepared.ts). */
export const paymentShape = new RowShape<PaymentRow>(payments, 'p');
export const attemptShape = new RowShape<AttemptRow>(paymentAttempts, 'a');
const statements = new StatementCache('payments');
/** appendEvent's audit parameters follow its eight. */
const appendAudit = auditSqlParts(9);

export interface NewPayment {
  channelId: string;
  /** A deposit's account (issue 17); null for an order. */
  accountId: string | null;
  terminalId: string | null;
  orderRef: string;
  amount: number;
  phone: string;
  description: string | null;
  cashier: string | null;
  attemptId: string;
  deadlineAt: Date;
}

/** Parameters: the payment's columns in definition order, then the key's scope and key. */
function createPaymentSql(keys: string[]): string {
  const n = keys.length;
  const at = (key: string) => `$${keys.indexOf(key) + 1}`;
  return `with pay as (
      insert into payments (${paymentShape.nameList(keys)})
      select ${paymentShape.castParams(keys, 1)}
      where not exists (
        select 1 from payments
        where tenant_id = ${at('tenantId')}::uuid and order_ref = ${at('orderRef')}::text
          and status = 'succeeded')
      returning *),
    att as (
      insert into payment_attempts
        (id, tenant_id, payment_id, channel_id, number, state, amount, phone, deadline_at)
      select current_attempt_id, tenant_id, id, channel_id, 1, 'pending', amount, phone, deadline_at
      from pay),
    idem as (
      update idempotency_keys set payment_id = (select id from pay)
      where tenant_id = ${at('tenantId')}::uuid and scope = $${n + 1} and key = $${n + 2}
        and exists (select 1 from pay))
    select * from pay`;
}

/**
 * The event row as its insert left it: the sequence, id and time PostgreSQL gave it, the rest as
 * written, the JSON columns as a reader of the table would see them (dates as ISO strings).
 */
function eventRow(
  tenantId: TenantId,
  event: Omit<NewEvent, 'payment'>,
  json: { dataJson: string; stateJson: string },
  inserted: { id: string; seq: string; created_at: Date | string },
): PaymentEventRow {
  return {
    id: Number(inserted.id),
    tenantId,
    paymentId: event.paymentId,
    seq: Number(inserted.seq),
    type: event.type,
    fromStatus: event.fromStatus,
    toStatus: event.toStatus,
    terminalId: event.terminalId,
    data: JSON.parse(json.dataJson) as Record<string, unknown>,
    paymentState: JSON.parse(json.stateJson) as Record<string, unknown>,
    createdAt: new Date(inserted.created_at),
  };
}

/**
 * Parameters: $1 tenant, $2 payment, $3–$8 the event, $9 the version read, then the columns, the
 * attempt as read when guarded, and last the audit entry's (libs/audit audit-sql.ts).
 */
function writeChangeSql(
  paymentKeys: string[],
  attemptKeys: string[] | undefined,
  guarded: boolean,
): string {
  const attemptFrom = 11 + paymentKeys.length;
  const attemptCte = attemptKeys
    ? `a as (update payment_attempts set ${attemptShape.setList(attemptKeys, attemptFrom)}
         where tenant_id = $1 and id = $${attemptFrom - 1} and exists (select 1 from p)),`
    : '';
  // The attempt as read: $g id, $g+1 state, $g+2 outcome, $g+3 checkout id, $g+4 "not answered".
  const g = attemptKeys ? attemptFrom + attemptKeys.length : attemptFrom - 1;
  const asRead = guarded
    ? `and exists (select 1 from payment_attempts where tenant_id = $1 and id = $${g}
         and state = $${g + 1} and outcome is not distinct from $${g + 2}::text
         and checkout_request_id is not distinct from $${g + 3}::text
         and (answered_at is null) = $${g + 4}::boolean)`
    : '';
  // The audit entry's parameters follow everything else.
  const audit = auditSqlParts(guarded ? g + 5 : g);
  return `with p as (
      update payments set ${paymentShape.setList(paymentKeys, 10)}
      where tenant_id = $1 and id = $2 and version = $9 ${asRead} returning *),
    ${attemptCte}
    s as (
      update tenants set event_seq = event_seq + 1, ${audit.advanceHead('id::text')}
      where id = $1 and exists (select 1 from p) returning event_seq, audit_seq, audit_head),
    au as (${audit.insertFrom('$1::uuid', 's')}),
    e as (
      insert into payment_events
        (tenant_id, payment_id, seq, type, from_status, to_status, terminal_id, data, payment_state)
      select $1::uuid, $2::uuid, s.event_seq, $3, $4, $5, $6::uuid, $7::jsonb, $8::jsonb from s
      returning id, seq, created_at)
    select p.*, e.id as "e.id", e.seq as "e.seq", e.created_at as "e.created_at" from p, e`;
}

/** An attempt's columns to write in the same statement as the event that records the change. */
export interface AttemptWrite {
  attemptId: string;
  columns: Partial<AttemptRow>;
}

export interface NewEvent {
  paymentId: string;
  type: string;
  fromStatus: string | null;
  toStatus: string;
  terminalId: string | null;
  data: Record<string, unknown>;
  /** The payment as this event leaves it (see payment-snapshot.ts). */
  payment: PaymentRow;
}

/** SQL for payments, attempts and their events. Every method names its tenant. */
@Injectable()
export class PaymentsRepository {
  constructor(@Inject(DRIZZLE) readonly db: Db) {}

  async lockPayment(
    tx: DbOrTx,
    tenantId: TenantId,
    paymentId: string,
  ): Promise<PaymentRow | undefined> {
    const [row] = await tx
      .select()
      .from(payments)
      .where(and(eq(payments.tenantId, tenantId), eq(payments.id, paymentId)))
      .for('update');
    return row;
  }

  async findPayment(
    tx: DbOrTx,
    tenantId: TenantId,
    paymentId: string,
  ): Promise<PaymentRow | undefined> {
    const [row] = await tx
      .select()
      .from(payments)
      .where(and(eq(payments.tenantId, tenantId), eq(payments.id, paymentId)));
    return row;
  }

  /**
   * Receipts are unique across all tenants, whatever their case: one M-Pesa transaction is one
   * payment. Compared as the unique index `payments_receipt_uq` is built, on upper(receipt).
   */
  async findByReceipt(
    tx: DbOrTx,
    receipt: string,
  ): Promise<Pick<PaymentRow, 'id' | 'tenantId'> | undefined> {
    const [row] = await tx
      .select({ id: payments.id, tenantId: payments.tenantId })
      .from(payments)
      .where(receiptIs(receipt));
    return row;
  }

  /** A payment of this order in one of `statuses` (open, or already paid), if any. */
  async findForOrder(
    tenantId: TenantId,
    orderRef: string,
    statuses: readonly PaymentStatus[],
  ): Promise<PaymentRow | undefined> {
    const [row] = await this.db
      .select()
      .from(payments)
      .where(
        and(
          eq(payments.tenantId, tenantId),
          eq(payments.orderRef, orderRef),
          inArray(payments.status, [...statuses]),
        ),
      )
      .limit(1);
    return row;
  }

  /** A new payment in `created` with its first attempt, and the event that records its birth. */
  async insertPaymentWithAttempt(
    tx: DbOrTx,
    tenantId: TenantId,
    timeoutSeconds: number,
    p: {
      channelId: string;
      terminalId: string | null;
      orderRef: string;
      amount: number;
      phone: string;
      description: string | null;
      accountId?: string | null;
    },
  ): Promise<{ payment: PaymentRow; attemptId: string }> {
    const attemptId = randomUUID();
    const deadlineAt = new Date(Date.now() + timeoutSeconds * 1000);
    const [payment] = await tx
      .insert(payments)
      .values({
        ...p,
        tenantId,
        status: 'created',
        currentAttemptId: attemptId,
        attemptCount: 1,
        deadlineAt,
      })
      .returning();
    await this.insertAttempt(tx, tenantId, payment, attemptId, 1, deadlineAt);
    await this.appendCreatedEvent(tx, tenantId, payment);
    return { payment, attemptId };
  }

  /**
   * A new payment in `created`, its first attempt and the idempotency key's link to it, in one
   * statement. Undefined, and nothing written, when the order is already paid. The open-order
   * unique index refuses a second open payment of the order (23505 payments_open_order_uq). The
   * created event is the caller's last statement (appendCreatedEvent).
   */
  async createPayment(
    tx: DbOrTx,
    tenantId: TenantId,
    key: { scope: string; key: string },
    p: NewPayment,
  ): Promise<PaymentRow | undefined> {
    const now = new Date();
    const payment: PaymentRow = {
      id: randomUUID(),
      tenantId,
      channelId: p.channelId,
      terminalId: p.terminalId,
      orderRef: p.orderRef,
      amount: p.amount,
      currency: 'KES',
      phone: p.phone,
      description: p.description,
      cashier: p.cashier,
      status: 'created',
      version: 0,
      attemptCount: 1,
      currentAttemptId: p.attemptId,
      receipt: null,
      paidAmount: null,
      paidAt: null,
      failureCode: null,
      failureMessage: null,
      failureRetryable: null,
      deadlineAt: p.deadlineAt,
      createdAt: now,
      updatedAt: now,
      finalizedAt: null,
      accountId: p.accountId,
    };
    const keys = paymentShape.keys;
    const statement = statements.get('create-payment', () => createPaymentSql(keys));
    const { rows } = await pgClientOf(tx).query<Record<string, unknown>>({
      ...statement,
      values: [...paymentShape.driverValues(payment, keys), key.scope, key.key],
    });
    return rows[0] ? paymentShape.fromPlain(rows[0]) : undefined;
  }

  /**
   * The event that records a payment's birth. It takes the tenant's sequence row lock, so callers
   * that do more work in the transaction write it last.
   */
  async appendCreatedEvent(
    tx: DbOrTx,
    tenantId: TenantId,
    payment: PaymentRow,
    audit?: PaymentAudit,
  ): Promise<void> {
    await this.appendEvent(
      tx,
      tenantId,
      {
        paymentId: payment.id,
        type: 'created',
        fromStatus: null,
        toStatus: 'created',
        terminalId: payment.terminalId,
        data: { orderRef: payment.orderRef, amount: payment.amount },
        payment,
      },
      audit,
    );
  }

  async insertAttempt(
    tx: DbOrTx,
    tenantId: TenantId,
    payment: PaymentRow,
    attemptId: string,
    number: number,
    deadlineAt: Date,
  ): Promise<void> {
    await this.insertAttemptRow(tx, tenantId, payment, attemptId, number, 'pending', deadlineAt);
  }

  async insertAttemptRow(
    tx: DbOrTx,
    tenantId: TenantId,
    payment: PaymentRow,
    attemptId: string,
    number: number,
    state: AttemptState,
    deadlineAt: Date | null = null,
  ): Promise<void> {
    await tx.insert(paymentAttempts).values({
      id: attemptId,
      tenantId,
      paymentId: payment.id,
      channelId: payment.channelId,
      number,
      state,
      amount: payment.amount,
      phone: payment.phone,
      deadlineAt,
    });
  }

  async findAttempt(
    tx: DbOrTx,
    tenantId: TenantId,
    attemptId: string,
    opts: { lock?: boolean } = {},
  ): Promise<AttemptRow | undefined> {
    const query = tx
      .select()
      .from(paymentAttempts)
      .where(and(eq(paymentAttempts.tenantId, tenantId), eq(paymentAttempts.id, attemptId)));
    const [row] = opts.lock ? await query.for('update') : await query;
    return row;
  }

  /**
   * The one attempt state write outside PaymentService.apply, on purpose: a compare-and-set that
   * must commit before Daraja is called, without the payment's row lock (domain: `pending` means
   * never pushed, `unknown` without a CheckoutRequestID means maybe pushed).
   *
   * Records, in its own committed write, that the push may leave now: `pending` (certainly never
   * pushed) becomes `unknown` (maybe pushed) with push_sent_at. Only one caller wins; an attempt
   * that is no longer pending (already pushed, or finalised at its deadline) returns undefined and
   * must not be pushed.
   */
  async markPushSent(
    tenantId: TenantId,
    attemptId: string,
    firstLookAt: Date,
  ): Promise<AttemptRow | undefined> {
    const [row] = await this.db
      .update(paymentAttempts)
      .set({ state: 'unknown', pushSentAt: sql`now()`, nextQueryAt: firstLookAt })
      .where(
        and(
          eq(paymentAttempts.tenantId, tenantId),
          eq(paymentAttempts.id, attemptId),
          eq(paymentAttempts.state, 'pending'),
          sql`${paymentAttempts.pushSentAt} is null`,
        ),
      )
      .returning();
    return row;
  }

  /**
   * A state change in one statement: the payment's compare-and-set on the version read under
   * lock, the attempt's columns, the tenant's sequence bump and the event, which snapshots the
   * payment as `columns` leave it. Undefined when the version moved (nothing is written then).
   * The tenant's sequence row stays locked until commit: callers make this their last statement.
   */
  async writeChange(
    tx: DbOrTx,
    tenantId: TenantId,
    change: {
      before: PaymentRow;
      columns: Partial<PaymentRow>;
      event: Omit<NewEvent, 'payment' | 'paymentId'>;
      attempt?: AttemptWrite;
      /**
       * Without a row lock: write only if the attempt is still as read (the fields its state
       * machine reads), besides the payment's version.
       */
      attemptAsRead?: AttemptRow;
      /** Who made the change and its evidence's digest, for its audit entry. */
      audit?: PaymentAudit;
    },
  ): Promise<{ payment: PaymentRow; event: PaymentEventRow } | undefined> {
    const { before, columns, event, attempt, attemptAsRead } = change;
    const paymentKeys = Object.keys(columns);
    const attemptKeys = attempt ? Object.keys(attempt.columns) : [];
    const guarded = attemptAsRead !== undefined;
    const statement = statements.get(
      `write-change:${paymentKeys.join(',')}:${attempt ? attemptKeys.join(',') : '-'}:${guarded}`,
      () => writeChangeSql(paymentKeys, attempt ? attemptKeys : undefined, guarded),
    );
    const dataJson = JSON.stringify(event.data);
    const stateJson = JSON.stringify(snapshotOf({ ...before, ...columns }));
    const values: unknown[] = [
      tenantId,
      before.id,
      event.type,
      event.fromStatus,
      event.toStatus,
      event.terminalId,
      dataJson,
      stateJson,
      before.version,
      ...paymentShape.driverValues(columns, paymentKeys),
    ];
    if (attempt) {
      values.push(attempt.attemptId, ...attemptShape.driverValues(attempt.columns, attemptKeys));
    }
    if (attemptAsRead) {
      values.push(
        attemptAsRead.id,
        attemptAsRead.state,
        attemptAsRead.outcome,
        attemptAsRead.checkoutRequestId,
        attemptAsRead.answeredAt === null,
      );
    }
    values.push(...paymentAuditValues(tenantId, before, event, change.audit));
    const { rows } = await pgClientOf(tx).query<Record<string, unknown>>({ ...statement, values });
    const [row] = rows;
    if (!row) return undefined;
    return {
      payment: paymentShape.fromPlain(row),
      event: eventRow(
        tenantId,
        { ...event, paymentId: before.id },
        { dataJson, stateJson },
        {
          id: row['e.id'] as string,
          seq: row['e.seq'] as string,
          created_at: row['e.created_at'] as Date,
        },
      ),
    };
  }

  async updatePaymentDeadline(
    tx: DbOrTx,
    tenantId: TenantId,
    paymentId: string,
    deadlineAt: Date,
  ): Promise<void> {
    await tx
      .update(payments)
      .set({ deadlineAt })
      .where(and(eq(payments.tenantId, tenantId), eq(payments.id, paymentId)));
  }

  async updateAttempt(
    tx: DbOrTx,
    tenantId: TenantId,
    attemptId: string,
    columns: Partial<AttemptRow>,
  ): Promise<void> {
    await tx
      .update(paymentAttempts)
      .set(columns)
      .where(and(eq(paymentAttempts.tenantId, tenantId), eq(paymentAttempts.id, attemptId)));
  }

  /**
   * Appends one event with the tenant's next sequence number, in one statement: the counter bump
   * and the insert travel together (and the attempt's own write with them, when there is one), so
   * a change costs one round trip here. The counter row stays locked until commit, so sequence
   * order equals commit order and a resuming reader never skips an event; callers make this the
   * last statement of their transaction to hold that lock as briefly as possible.
   */
  async appendEvent(
    tx: DbOrTx,
    tenantId: TenantId,
    { payment, ...event }: NewEvent,
    audit?: PaymentAudit,
  ): Promise<PaymentEventRow> {
    const dataJson = JSON.stringify(event.data);
    const stateJson = JSON.stringify(snapshotOf(payment));
    const statement = statements.get(
      'append-event',
      () => `with s as (
          update tenants set event_seq = event_seq + 1, ${appendAudit.advanceHead('id::text')}
          where id = $1 returning event_seq, audit_seq, audit_head),
        au as (${appendAudit.insertFrom('$1::uuid', 's')})
        insert into payment_events
          (tenant_id, payment_id, seq, type, from_status, to_status, terminal_id, data, payment_state)
        select $1::uuid, $2::uuid, s.event_seq, $3, $4, $5, $6::uuid, $7::jsonb, $8::jsonb from s
        returning id, seq, created_at`,
    );
    const { rows } = await pgClientOf(tx).query<{ id: string; seq: string; created_at: Date }>({
      ...statement,
      values: [
        tenantId,
        event.paymentId,
        event.type,
        event.fromStatus,
        event.toStatus,
        event.terminalId,
        dataJson,
        stateJson,
        ...paymentAuditValues(tenantId, payment, event, audit),
      ],
    });
    const [row] = rows;
    if (!row) throw new Error(`tenant ${tenantId} has no event sequence row`);
    return eventRow(tenantId, event, { dataJson, stateJson }, row);
  }

  /**
   * A payment and one attempt, locked in one statement (payment first, the order every path
   * locks them in). Undefined when either is missing: callers fall back to one lookup each, for
   * the error that names which.
   */
  async lockPaymentWithAttempt(
    tx: DbOrTx,
    tenantId: TenantId,
    paymentId: string,
    attemptId: string,
  ): Promise<{ payment: PaymentRow; attempt: AttemptRow } | undefined> {
    const statement = statements.get(
      'lock-payment-attempt',
      () => `select ${paymentShape.selectList}, ${attemptShape.selectList}
        from payments p join payment_attempts a on a.tenant_id = p.tenant_id and a.id = $3
        where p.tenant_id = $1 and p.id = $2
        for update of p, a`,
    );
    const { rows } = await pgClientOf(tx).query({
      ...statement,
      values: [tenantId, paymentId, attemptId],
    });
    const [row] = rows;
    if (!row) return undefined;
    return { payment: paymentShape.fromPrefixed(row), attempt: attemptShape.fromPrefixed(row) };
  }

  async listEvents(tx: DbOrTx, tenantId: TenantId, paymentId: string): Promise<PaymentEventRow[]> {
    return tx
      .select()
      .from(paymentEvents)
      .where(and(eq(paymentEvents.tenantId, tenantId), eq(paymentEvents.paymentId, paymentId)))
      .orderBy(asc(paymentEvents.seq));
  }
}
