import { Injectable, Logger } from '@nestjs/common';
import { metrics } from '@malipo/common';
import {
  PAYMENT_UPDATED,
  RESUMED,
  RESYNC_REQUIRED,
  type CommittedMessage,
  type PaymentUpdated,
  type Resumed,
} from '@malipo/realtime';
import { EventReplay } from './event-replay';
import type { TerminalsSocket } from './socket-state';

function clientPayload(m: CommittedMessage): PaymentUpdated {
  return { seq: m.seq, event: m.event, payment: m.payment };
}

/**
 * Delivery to one socket: live events, and resumes that replay payment_events first. Per-tenant
 * seq is commit-ordered and the socket joins its rooms before the replay reads, so every event
 * is either in the replay (seq <= floor, live copy dropped) or arrives live (seq > floor).
 */
@Injectable()
export class SocketStreams {
  private readonly logger = new Logger(SocketStreams.name);

  constructor(private readonly replay: EventReplay) {}

  deliver(socket: TerminalsSocket, m: CommittedMessage): void {
    const state = socket.data;
    if (state.replaying) {
      state.buffer.push(m);
      return;
    }
    if (m.seq <= state.floor) return;
    socket.emit(PAYMENT_UPDATED, clientPayload(m));
    state.lastSent = Math.max(state.lastSent, m.seq);
    metrics.realtimeDelivered.inc({ mode: 'live' });
  }

  /**
   * Right after the handshake: resume from the client's lastSeq, or note the tenant's head so a
   * later catch-up knows where this socket started.
   */
  async start(socket: TerminalsSocket): Promise<void> {
    const state = socket.data;
    if (state.resumeFrom !== undefined) {
      await this.resume(socket, state.resumeFrom);
      return;
    }
    try {
      const head = await this.replay.head(state.principal);
      state.lastSent = Math.max(state.lastSent, head);
    } catch (error) {
      this.logger.warn(
        { err: error, socketId: socket.id },
        'could not read the head; disconnecting',
      );
      socket.disconnect(true);
    }
  }

  /**
   * Queued behind any resume already running on this socket. 'last_sent' (after a Redis outage on
   * this replica) resumes from the highest seq sent, read when the resume actually starts.
   */
  resume(socket: TerminalsSocket, lastSeq: number | 'last_sent'): Promise<Resumed | undefined> {
    const run = socket.data.chain.then(() =>
      this.runResume(socket, lastSeq === 'last_sent' ? socket.data.lastSent : lastSeq),
    );
    socket.data.chain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private async runResume(socket: TerminalsSocket, lastSeq: number): Promise<Resumed | undefined> {
    const state = socket.data;
    state.replaying = true;
    try {
      const result = await this.replay.since(state.principal, lastSeq);
      if (result.kind === 'resync') {
        metrics.realtimeResyncs.inc({ reason: result.reason });
        state.floor = result.seq;
        state.lastSent = result.seq;
        socket.emit(RESYNC_REQUIRED, { reason: result.reason, seq: result.seq });
        const resumed = { from: lastSeq, replayed: 0, seq: result.seq };
        socket.emit(RESUMED, resumed);
        return resumed;
      }
      for (const event of result.events) socket.emit(PAYMENT_UPDATED, event);
      metrics.realtimeDelivered.inc({ mode: 'replay' }, result.events.length);
      state.floor = result.events.at(-1)?.seq ?? lastSeq;
      state.lastSent = Math.max(state.lastSent, state.floor);
      const resumed = { from: lastSeq, replayed: result.events.length, seq: state.floor };
      socket.emit(RESUMED, resumed);
      return resumed;
    } catch (error) {
      // Without the replay we cannot promise "no gap": drop the socket, the client reconnects
      // and resumes from its own lastSeq again.
      this.logger.warn({ err: error, socketId: socket.id }, 'resume failed; disconnecting');
      metrics.realtimeRefused.inc({ reason: 'REALTIME.RESUME_FAILED' });
      socket.disconnect(true);
      return undefined;
    } finally {
      const buffered = state.buffer;
      state.buffer = [];
      state.replaying = false;
      for (const m of buffered) this.deliver(socket, m);
    }
  }
}
