import { Injectable } from '@nestjs/common';
import { AuditLog } from '@malipo/audit';
import { ConflictError, NotFoundError, asTenantId } from '@malipo/common';
import {
  CallbackInboxRepository,
  type InboxRow,
  type InboxState,
} from './callback-inbox.repository';
import { CallbackQueue } from './callback-queue';

/**
 * Dead letters, and invalid bodies once their cause is understood (a parser that was too strict,
 * a Content-Type we used to refuse): replay reads the stored raw body again.
 */
const REPLAYABLE_STATES: readonly InboxState[] = ['dead', 'invalid'];

/** What operators do with stored callbacks: look at them by state, and replay the replayable. */
@Injectable()
export class CallbackReplayService {
  constructor(
    private readonly inbox: CallbackInboxRepository,
    private readonly queue: CallbackQueue,
    private readonly audit: AuditLog,
  ) {}

  list(state: InboxState, limit: number): Promise<InboxRow[]> {
    return this.inbox.listByState(state, limit);
  }

  async replay(id: string): Promise<{ id: string; state: 'received' }> {
    const row = await this.inbox.find(null, id);
    if (!row) throw new NotFoundError('Callback not found', 'CALLBACK.NOT_FOUND');
    if (!REPLAYABLE_STATES.includes(row.state as InboxState)) {
      throw new ConflictError(
        `Only dead or invalid callbacks can be replayed (this one is ${row.state})`,
        'CALLBACK.NOT_REPLAYABLE',
      );
    }
    await this.inbox.db.transaction(async (tx) => {
      await this.inbox.mark(tx, asTenantId(row.tenantId), row.id, 'received');
      await this.audit.append(tx, row.tenantId, {
        action: 'callback.replayed',
        subject: { callbackId: row.id, attemptId: row.attemptId },
        data: { previousState: row.state },
      });
    });
    await this.queue.replay(row);
    return { id: row.id, state: 'received' };
  }
}
