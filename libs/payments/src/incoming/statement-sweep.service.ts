import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig, asTenantId, type TenantId } from '@malipo/common';
import {
  ChannelCredentialsReader,
  ChannelsRepository,
  DRIZZLE,
  TenantsRepository,
  type ChannelRow,
  type Db,
} from '@malipo/db';
import { PullTransactionsClient, type PulledTransaction } from '@malipo/daraja';
import { PaymentsRepository } from '../infrastructure/payments.repository';
import { IncomingPaymentsBus } from './incoming-payments.bus';
import { IncomingPaymentsRepository } from './incoming-payments.repository';

/** Pull Transactions covers the last 48 h (REFERENCE §7.3); a day is enough between sweeps. */
const LOOK_BACK_MS = 24 * 3600 * 1000;

/**
 * The reconciler's statement sweep: every statement row (Pull Transactions) whose receipt no
 * payment and no incoming payment holds is money Malipo never heard of (a lost C2B confirmation,
 * a payment before registration); it is recorded as an unmatched incoming payment for a person to
 * attach. Young rows are skipped: their callback may still be on its way.
 */
@Injectable()
export class StatementSweepService {
  private readonly logger = new Logger(StatementSweepService.name);

  constructor(
    @Inject(DRIZZLE) private readonly db: Db,
    private readonly tenants: TenantsRepository,
    private readonly channels: ChannelsRepository,
    private readonly reader: ChannelCredentialsReader,
    private readonly pull: PullTransactionsClient,
    private readonly payments: PaymentsRepository,
    private readonly incoming: IncomingPaymentsRepository,
    private readonly bus: IncomingPaymentsBus,
    private readonly config: AppConfig,
  ) {}

  /** Every active channel of every shop; one channel's failure does not stop the others. */
  async sweepAll(now = new Date()): Promise<number> {
    let recorded = 0;
    for (const tenant of await this.tenants.listAll()) {
      const tenantId = asTenantId(tenant.id);
      for (const channel of await this.channels.listActive(tenantId)) {
        recorded += await this.sweepChannel(tenantId, channel, now).catch((error: unknown) => {
          this.logger.warn({ channelId: channel.id, err: String(error) }, 'statement sweep failed');
          return 0;
        });
      }
    }
    return recorded;
  }

  async sweepChannel(tenantId: TenantId, channel: ChannelRow, now: Date): Promise<number> {
    const to = new Date(now.getTime() - this.config.RECONCILE_STATEMENT_MIN_AGE_MS);
    const from = new Date(now.getTime() - LOOK_BACK_MS);
    const rows = await this.pull.query(this.reader.open(channel), { from, to });
    let recorded = 0;
    for (const row of rows) {
      if (row.trxDate > to) continue;
      if (await this.record(tenantId, channel.id, row)) recorded += 1;
    }
    return recorded;
  }

  private async record(
    tenantId: TenantId,
    channelId: string,
    row: PulledTransaction,
  ): Promise<boolean> {
    if (await this.payments.findByReceipt(this.db, row.transactionId)) return false;
    const inserted = await this.incoming.insert(this.db, tenantId, {
      channelId,
      receipt: row.transactionId,
      amount: row.amount,
      billRef: row.billReference.slice(0, 40),
      msisdn: row.msisdn.slice(0, 80),
      payerName: '',
      transactedAt: row.trxDate,
      source: 'pull',
      status: 'unmatched',
      paymentId: null,
    });
    if (inserted) this.bus.publish(inserted);
    return inserted !== undefined;
  }
}
