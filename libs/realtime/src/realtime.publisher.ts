import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Emitter } from '@socket.io/redis-emitter';
import { AppConfig, metrics } from '@malipo/common';
import { logRedisErrors } from '@malipo/queue';
import {
  AccountBalanceBus,
  statementTypeOf,
  IncomingPaymentsBus,
  PaymentEventsBus,
  type CommittedChange,
  type IncomingPaymentRow,
  type Posted,
} from '@malipo/payments';
import type Redis from 'ioredis';
import { committedMessage } from './committed-message';
import {
  ACCOUNT_BALANCE,
  INCOMING_PAYMENT,
  type AccountBalanceNotice,
  TERMINALS_NAMESPACE,
  type IncomingPaymentNotice,
} from '@malipo/realtime-protocol';
import { closeRedis, realtimeRedis } from './realtime-redis';
import { PAYMENT_COMMITTED, incomingRoom, roomsFor, socketIoRedisKey } from './rooms';

/**
 * Turns committed payment events of this process (api or worker) into one Redis message that
 * every api replica receives. Runs after commit only, so a socket never hears of a change that
 * could still roll back; a lost publish is recovered by the client's resume from payment_events.
 */
@Injectable()
export class RealtimePublisher implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RealtimePublisher.name);
  private readonly redis: Redis;
  private readonly emitter: Emitter;

  constructor(
    private readonly bus: PaymentEventsBus,
    config: AppConfig,
    private readonly incoming: IncomingPaymentsBus,
    private readonly balances: AccountBalanceBus,
  ) {
    // Publishes wait through a short Redis outage (in order) instead of failing at once.
    this.redis = realtimeRedis(config, 'realtime-pub', { maxRetriesPerRequest: 20 });
    logRedisErrors(this.redis, 'RealtimePublisherRedis');
    // The emitter fires and forgets `publish`; catch here so a Redis outage is counted, not an
    // unhandled rejection.
    const client = {
      publish: (channel: string, message: string) =>
        this.redis.publish(channel, message).catch((error: unknown) => this.failed(error)),
    };
    this.emitter = new Emitter(client, { key: socketIoRedisKey(config.REDIS_PREFIX) }).of(
      TERMINALS_NAMESPACE,
    );
  }

  onModuleInit(): void {
    this.bus.subscribe((change) => this.publish(change));
    this.incoming.subscribe((row) => this.publishIncoming(row));
    this.balances.subscribe((posted) => this.publishBalance(posted));
  }

  /** To the owner's dashboard (tenant room) and the till the money moved at, if any. */
  publishBalance(p: Posted): void {
    const notice: AccountBalanceNotice = {
      accountId: p.accountId,
      balance: p.balanceAfter,
      entry: {
        id: String(p.entryId),
        type: statementTypeOf(p.kind),
        amount: p.amount,
        balanceBefore: p.balanceBefore,
        balanceAfter: p.balanceAfter,
        paymentId: p.paymentId,
        orderRef: p.orderRef,
        receipt: p.receipt,
        journalId: p.journalId,
        at: p.at.toISOString(),
      },
    };
    try {
      this.emitter.to(roomsFor(p.tenantId, p.terminalId)).emit(ACCOUNT_BALANCE, notice);
    } catch (error) {
      this.failed(error);
    }
  }

  /** Straight to the tenant's sockets: a hint with no sequence; clients list over REST. */
  publishIncoming(row: IncomingPaymentRow): void {
    const notice: IncomingPaymentNotice = {
      id: row.id,
      channelId: row.channelId,
      receipt: row.receipt,
      amount: row.amount,
      billRef: row.billRef,
      transactedAt: row.transactedAt.toISOString(),
    };
    try {
      this.emitter.to(incomingRoom(row.tenantId)).emit(INCOMING_PAYMENT, notice);
    } catch (error) {
      this.failed(error);
    }
  }

  publish({ payment, event }: CommittedChange): void {
    try {
      this.emitter.serverSideEmit(PAYMENT_COMMITTED, committedMessage(payment, event));
    } catch (error) {
      this.failed(error);
    }
  }

  private failed(error: unknown): void {
    metrics.realtimePublishFailures.inc();
    this.logger.warn({ err: error }, 'realtime publish failed; clients recover it on resume');
  }

  async onApplicationShutdown(): Promise<void> {
    await closeRedis(this.redis);
  }
}
