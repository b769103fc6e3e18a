import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { AuditCheckpointsRepository, CHECKPOINT_ALGORITHM } from '@malipo/audit';
import {
  ConflictError,
  NotFoundError,
  ValidationError,
  maskPhone,
  type TenantId,
} from '@malipo/common';
import { QUEUES, type ReconcileRunJob } from '@malipo/queue';
import { AuditLog, PLATFORM_CHAIN_ID } from '@malipo/audit';
import type { Queue } from 'bullmq';
import type { PaymentRow } from '../infrastructure/payment-rows';
import {
  ReconcileReportsRepository,
  type DailyReportRow,
  type DiscrepancyFilters,
  type DiscrepancyRow,
  type ReconciliationRunRow,
} from './reconcile-reports.repository';
import { ReconcileRepository } from './reconcile.repository';
import { LedgerCheckService } from '../accounts/ledger-check.service';
import {
  CSV_HEADER,
  buildReport,
  csvField,
  daysBetween,
  eatDayRange,
  type PaymentsReport,
} from './reconcile-report';

const EXPORT_PAGE = 1_000;
/** A run is one worker job; keep its size sane. */
const MAX_RUN_DAYS = 92;

/** Reports, reconciliation runs, discrepancy handling and the CSV export. */
@Injectable()
export class ReconcileReportsService {
  private readonly logger = new Logger(ReconcileReportsService.name);

  constructor(
    private readonly reports: ReconcileReportsRepository,
    private readonly reconcile: ReconcileRepository,
    @InjectQueue(QUEUES.reconcile) private readonly runs: Queue<ReconcileRunJob>,
    private readonly ledger: LedgerCheckService,
    private readonly audit: AuditLog,
    private readonly auditCheckpoints: AuditCheckpointsRepository,
  ) {}

  /** On demand, for any period; nothing is stored. */
  async report(tenantId: TenantId, from: Date, to: Date): Promise<PaymentsReport> {
    const [groups, median, discrepancies] = await Promise.all([
      this.reports.paymentGroups(tenantId, from, to),
      this.reports.medianSecondsToOutcome(tenantId, from, to),
      this.reports.discrepanciesCreated(tenantId, from, to),
    ]);
    return buildReport({
      tenantId,
      from,
      to,
      groups,
      medianSecondsToOutcome: median,
      discrepancies,
    });
  }

  /** The tenant's day (EAT), stored once per (tenant, day): regenerating rewrites the same row. */
  async daily(
    tenantId: TenantId,
    day: string,
    runId: string | null = null,
  ): Promise<DailyReportRow> {
    const { from, to } = this.dayRange(day);
    const [report, auditCheckpoint] = await Promise.all([
      this.report(tenantId, from, to),
      this.auditCheckpointBefore(tenantId, to),
    ]);
    return this.reports.upsertDaily(tenantId, day, { day, ...report, auditCheckpoint }, runId);
  }

  /**
   * The shop's newest signed audit checkpoint by the end of the day, so the report the shop keeps
   * also holds a head of its audit chain that no one here can rewrite (docs/audit.md).
   */
  private async auditCheckpointBefore(tenantId: TenantId, before: Date) {
    const cp = await this.auditCheckpoints.lastBefore(tenantId, before);
    return cp ? { ...cp, algorithm: CHECKPOINT_ALGORITHM } : null;
  }

  /**
   * Records the run and hands it to the workers' `reconcile` queue (job id = run id), so it
   * survives the api that accepted it; GET the run for its outcome.
   */
  async startRun(r: {
    tenantId: TenantId | null;
    fromDay: string;
    toDay: string;
    requestedBy: string;
  }): Promise<ReconciliationRunRow> {
    this.days(r.fromDay, r.toDay);
    const run = await this.audit.db.transaction(async (tx) => {
      const row = await this.reports.insertRun(r, tx);
      await this.audit.append(tx, r.tenantId ?? PLATFORM_CHAIN_ID, {
        action: 'reconciliation.run_requested',
        subject: { runId: row.id },
        data: { fromDay: r.fromDay, toDay: r.toDay },
      });
      return row;
    });
    await this.enqueueRun(run.id);
    return run;
  }

  /** The worker's side of a run: executes it unless it already finished. */
  async executeQueuedRun(runId: string): Promise<'executed' | 'skipped'> {
    const run = await this.reports.findRun(runId);
    if (run?.state !== 'running') return 'skipped';
    await this.executeRun(run, this.days(run.fromDay, run.toDay));
    return 'executed';
  }

  /**
   * Enqueues again every run still `running` after `olderThanMs`: Redis may have been away when it
   * was started. Adding a job id that is queued or running is a no-op in BullMQ.
   */
  async requeueUnfinishedRuns(olderThanMs: number): Promise<number> {
    const stale = await this.reports.unfinishedRuns(new Date(Date.now() - olderThanMs));
    for (const run of stale) await this.enqueueRun(run.id);
    return stale.length;
  }

  private async enqueueRun(runId: string): Promise<void> {
    try {
      await this.runs.add('run', { runId }, { jobId: runId, attempts: 1 });
    } catch (error) {
      this.logger.warn(
        { runId, err: (error as Error).message },
        'run recorded but not enqueued; the workers re-enqueue unfinished runs',
      );
    }
  }

  /** Asks Safaricom again about the period's unresolved attempts, then (re)builds each daily report. */
  private async executeRun(run: ReconciliationRunRow, days: string[]): Promise<void> {
    try {
      const tenants = run.tenantId ? [run.tenantId as TenantId] : await this.reports.tenantIds();
      const { from } = eatDayRange(days[0]);
      const { to } = eatDayRange(days[days.length - 1]);
      const nudged = await this.reconcile.nudge(run.tenantId as TenantId | null, from, to);
      let reports = 0;
      let openDiscrepancies = 0;
      let ledgerDifferences = 0;
      for (const tenantId of tenants) {
        const ledger = await this.ledger.check(tenantId);
        ledgerDifferences +=
          ledger.balanceMismatches + ledger.postingMismatches + ledger.unbalancedJournals;
        for (const day of days) {
          const row = await this.daily(tenantId, day, run.id);
          reports++;
          const rep = row.report as unknown as PaymentsReport;
          openDiscrepancies += rep.discrepancies.byState.open ?? 0;
        }
      }
      await this.reports.finishRun(
        run.id,
        'completed',
        {
          tenants: tenants.length,
          days: days.length,
          reports,
          attemptsRequeried: nudged,
          openDiscrepancies,
          ledgerDifferences,
        },
        null,
      );
    } catch (error) {
      this.logger.error(
        { runId: run.id, err: (error as Error).message },
        'reconciliation run failed',
      );
      await this.reports
        .finishRun(run.id, 'failed', null, (error as Error).message)
        .catch(() => undefined);
    }
  }

  async run(id: string): Promise<ReconciliationRunRow> {
    const run = await this.reports.findRun(id);
    if (!run) {
      throw new NotFoundError('Reconciliation run not found', 'RECONCILIATION.RUN_NOT_FOUND');
    }
    return run;
  }

  listDiscrepancies(f: DiscrepancyFilters): Promise<DiscrepancyRow[]> {
    return this.reports.listDiscrepancies(f);
  }

  /** acknowledged: someone is on it; resolved: closed, with who and why. Resolved stays resolved. */
  async setDiscrepancyState(
    tenantId: TenantId | null,
    id: string,
    state: 'acknowledged' | 'resolved',
    by: string,
    note: string | null,
  ): Promise<DiscrepancyRow> {
    const row = await this.reports.findDiscrepancy(tenantId, id);
    if (!row) throw new NotFoundError('Discrepancy not found', 'DISCREPANCY.NOT_FOUND');
    if (row.state === 'resolved') {
      throw new ConflictError('The discrepancy is already resolved', 'DISCREPANCY.RESOLVED');
    }
    return this.audit.db.transaction(async (tx) => {
      const changed = await this.reports.setDiscrepancyState(id, state, by, note, tx);
      await this.audit.append(tx, changed.tenantId ?? PLATFORM_CHAIN_ID, {
        action: `discrepancy.${state}`,
        subject: { discrepancyId: id, kind: changed.kind, paymentId: changed.paymentId },
        data: { note },
      });
      return changed;
    });
  }

  /** A CSV export, recorded in the shop's log before the first line is sent. */
  async recordExport(tenantId: TenantId, what: Record<string, string | null>): Promise<void> {
    await this.audit.appendAlone(tenantId, {
      action: 'payments.exported',
      subject: {},
      data: what,
    });
  }

  /** CSV lines, a page at a time: a month of payments never sits in memory. */
  async *exportCsv(q: {
    tenantId: TenantId;
    terminalId: string | null;
    status?: string;
    from: Date;
    to: Date;
    fullPhone: boolean;
  }): AsyncGenerator<string> {
    yield `${CSV_HEADER.join(',')}\r\n`;
    let after: string | null = null;
    for (;;) {
      const page: PaymentRow[] = await this.reports.exportPage({
        tenantId: q.tenantId,
        terminalId: q.terminalId,
        status: q.status,
        from: q.from,
        to: q.to,
        afterId: after,
        limit: EXPORT_PAGE,
      });
      if (!page.length) return;
      yield page.map((p) => `${csvRow(p, q.fullPhone)}\r\n`).join('');
      if (page.length < EXPORT_PAGE) return;
      after = page[page.length - 1].id;
    }
  }

  dayRange(day: string): { from: Date; to: Date } {
    try {
      return eatDayRange(day);
    } catch {
      throw new ValidationError('date must be YYYY-MM-DD', { field: 'date' });
    }
  }

  private days(fromDay: string, toDay: string): string[] {
    this.dayRange(fromDay);
    this.dayRange(toDay);
    const days = daysBetween(fromDay, toDay);
    if (!days.length) throw new ValidationError('from must not be after to', { field: 'from' });
    if (days.length > MAX_RUN_DAYS) {
      throw new ValidationError(`at most ${MAX_RUN_DAYS} days per run`, { field: 'to' });
    }
    return days;
  }
}

function csvRow(p: PaymentRow, fullPhone: boolean): string {
  return [
    p.id,
    p.createdAt,
    p.orderRef,
    p.amount,
    p.currency,
    fullPhone ? p.phone : maskPhone(p.phone),
    p.status,
    p.receipt,
    p.paidAmount,
    p.paidAt,
    p.terminalId,
    p.channelId,
    p.failureCode,
    p.failureMessage,
    p.finalizedAt,
    p.cashier,
  ]
    .map(csvField)
    .join(',');
}
