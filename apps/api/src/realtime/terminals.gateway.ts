import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import { createAdapter } from '@socket.io/redis-adapter';
import { AppConfig, metrics } from '@malipo/common';
import { logRedisErrors } from '@malipo/queue';
import {
  JOIN,
  PAYMENT_COMMITTED,
  RESUME,
  TERMINALS_NAMESPACE,
  closeRedis,
  keyRoom,
  realtimeRedis,
  socketIoRedisKey,
  incomingRoom,
  tenantRoom,
  terminalRoom,
  type Ack,
  type CommittedMessage,
  type Resumed,
  roomsFor,
} from '@malipo/realtime';
import type Redis from 'ioredis';
import { KeyRevocationWatcher } from './key-revocation.watcher';
import { RealtimeHandshake, parseLastSeq } from './realtime.handshake';
import { REFUSALS, RealtimeRefusal } from './realtime-refusal';
import type { TerminalsNamespace, TerminalsSocket } from './socket-state';
import { SocketStreams } from './socket-streams';

const refused = (e: RealtimeRefusal): { ok: false; error: { code: string; message: string } } => ({
  ok: false,
  error: e.data,
});

/**
 * socket.io `/terminals`: authenticates at the handshake, puts the socket in the one room its key
 * may see, resumes from the client's lastSeq and relays committed events (received from every
 * process through the Redis adapter) to local sockets. Emits only; no business decisions here.
 */
@WebSocketGateway({ namespace: TERMINALS_NAMESPACE, cors: { origin: true } })
export class TerminalsGateway
  implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnApplicationShutdown
{
  private readonly logger = new Logger(TerminalsGateway.name);
  private readonly redis: Redis[] = [];
  private nsp?: TerminalsNamespace;

  constructor(
    private readonly config: AppConfig,
    private readonly handshake: RealtimeHandshake,
    private readonly streams: SocketStreams,
    private readonly watcher: KeyRevocationWatcher,
  ) {}

  afterInit(nsp: TerminalsNamespace): void {
    this.nsp = nsp;
    const server = nsp.server;
    Object.assign(server.engine.opts, {
      pingInterval: this.config.REALTIME_HEARTBEAT_MS,
      pingTimeout: this.config.REALTIME_HEARTBEAT_TIMEOUT_MS,
    });
    const pub = realtimeRedis(this.config, 'realtime-adapter-pub');
    const sub = realtimeRedis(this.config, 'realtime-adapter-sub');
    for (const r of [pub, sub]) {
      this.redis.push(logRedisErrors(r, 'RealtimeAdapterRedis'));
    }
    server.adapter(createAdapter(pub, sub, { key: socketIoRedisKey(this.config.REDIS_PREFIX) }));
    this.catchUpAfterReconnect(nsp, sub);
    server.of('/').use((_socket, next) => next(REFUSALS.wrongNamespace()));
    nsp.use((socket, next) => {
      this.handshake.admit(socket, nsp).then(
        () => next(),
        (error: unknown) => next(RealtimeHandshake.refusal(error)),
      );
    });
    nsp.on(PAYMENT_COMMITTED, (m: CommittedMessage) => this.dispatch(nsp, m));
    this.watcher.start(nsp);
  }

  async handleConnection(socket: TerminalsSocket): Promise<void> {
    const { principal } = socket.data;
    const tenantId = principal.tenantId as string;
    await socket.join([
      keyRoom(principal.keyId),
      principal.terminalId ? terminalRoom(tenantId, principal.terminalId) : tenantRoom(tenantId),
      incomingRoom(tenantId),
    ]);
    metrics.realtimeConnections.inc({ role: principal.role });
    await this.streams.start(socket);
  }

  handleDisconnect(socket: TerminalsSocket): void {
    if (socket.data?.principal) {
      metrics.realtimeConnections.dec({ role: socket.data.principal.role });
    }
  }

  @SubscribeMessage(RESUME)
  async resume(
    @ConnectedSocket() socket: TerminalsSocket,
    @MessageBody() body: unknown,
  ): Promise<Ack<Resumed>> {
    let lastSeq: number | undefined;
    try {
      lastSeq = parseLastSeq((body as { lastSeq?: unknown } | null)?.lastSeq);
    } catch (error) {
      return refused(error as RealtimeRefusal);
    }
    if (lastSeq === undefined) return refused(REFUSALS.badLastSeq());
    const resumed = await this.streams.resume(socket, lastSeq);
    return resumed
      ? { ok: true, ...resumed }
      : { ok: false, error: { code: 'REALTIME.UNAVAILABLE', message: 'Try again shortly' } };
  }

  /** Rooms are fixed by the key; asking for any other room is refused. */
  @SubscribeMessage(JOIN)
  join(@ConnectedSocket() socket: TerminalsSocket, @MessageBody() body: unknown): Ack {
    const room = (body as { room?: unknown } | null)?.room;
    if (typeof room === 'string' && socket.rooms.has(room) && !room.startsWith('k:')) {
      return { ok: true };
    }
    metrics.realtimeRefused.inc({ reason: 'REALTIME.ROOM_FORBIDDEN' });
    return refused(
      new RealtimeRefusal('REALTIME.ROOM_FORBIDDEN', 'This key cannot join that room'),
    );
  }

  /**
   * Events published while this replica's subscriber was away never reach it. Once it is back
   * (PING answers after ioredis has re-sent its subscriptions), every local socket resumes from the
   * last seq it was sent, from payment_events.
   */
  private catchUpAfterReconnect(nsp: TerminalsNamespace, sub: Redis): void {
    let connectedBefore = false;
    sub.on('ready', () => {
      if (!connectedBefore) {
        connectedBefore = true;
        return;
      }
      sub.ping().then(
        () => {
          this.logger.warn({ sockets: nsp.sockets.size }, 'Redis is back; sockets catch up');
          for (const socket of nsp.sockets.values()) void this.streams.resume(socket, 'last_sent');
        },
        (err: unknown) => this.logger.warn({ err }, 'no catch-up after Redis reconnect'),
      );
    });
  }

  private dispatch(nsp: TerminalsNamespace, m: CommittedMessage): void {
    const ids = new Set<string>();
    for (const room of roomsFor(m.tenantId, m.terminalId)) {
      for (const id of nsp.adapter.rooms.get(room) ?? []) ids.add(id);
    }
    for (const id of ids) {
      const socket = nsp.sockets.get(id);
      if (socket) this.streams.deliver(socket, m);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.watcher.stop();
    // Only this replica's sockets, without a Redis round trip: Redis may be the reason we stop.
    this.nsp?.local.disconnectSockets(true);
    await Promise.all(this.redis.map(closeRedis));
  }
}
