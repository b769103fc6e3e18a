import { Injectable } from '@nestjs/common';
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
    await this.inbox.mark(this.inbox.db, asTenantId(row.tenantId), row.id, 'received');
    await this.queue.replay(row);
    return { id: row.id, state: 'received' };
  }
}
