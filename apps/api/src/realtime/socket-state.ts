import type { Principal } from '../auth';
import type {
  ClientToServerEvents,
  CommittedMessage,
  PAYMENT_COMMITTED,
  ServerToClientEvents,
} from '@malipo/realtime';
import type { Namespace, Socket } from 'socket.io';

/**
 * Per-socket delivery state. While a resume replays stored events the socket is `replaying` and
 * live events are buffered; afterwards only events above `floor` (the last seq the resume
 * covered) go out, so the replay/live seam has no gap and no duplicate.
 */
export interface SocketState {
  principal: Principal;
  /** The lastSeq sent in the handshake, resumed from once connected. */
  resumeFrom?: number;
  replaying: boolean;
  floor: number;
  /** Highest seq sent to this socket (or covered by a resume): where a catch-up starts. */
  lastSent: number;
  buffer: CommittedMessage[];
  /** Resumes of one socket run one after the other. */
  chain: Promise<void>;
}

export interface InterServerEvents {
  [PAYMENT_COMMITTED]: (m: CommittedMessage) => void;
}

export type TerminalsSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketState
>;
export type TerminalsNamespace = Namespace<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketState
>;
