import { io, type Socket } from 'socket.io-client';
import {
  INCOMING_PAYMENT,
  KEY_REVOKED,
  PAYMENT_UPDATED,
  RESUMED,
  RESYNC_REQUIRED,
  TERMINALS_NAMESPACE,
  type ClientToServerEvents,
  type IncomingPaymentNotice,
  type PaymentUpdated,
  type PaymentView,
  type RefusalData,
  type Resumed,
  type ResyncRequired,
  type ServerToClientEvents,
} from '@malipo/realtime-protocol';
import { PAYMENT_STATUSES, isOpen } from '@malipo/payments/domain/payment-status';
import { countdown } from './countdown';

/** Every status that is not open: the till stops waiting (a late success may still follow). */
export const FINAL_STATUSES: readonly string[] = PAYMENT_STATUSES.filter((s) => !isOpen(s));
export const isFinal = (p: Pick<PaymentView, 'status'>): boolean =>
  FINAL_STATUSES.includes(p.status);

export interface TerminalClientOptions {
  /** Base URL of the api, e.g. https://pay.example.com (the client adds /terminals). */
  url: string;
  /** A terminal (or owner) API key; omit it in a browser signed in to the console (session cookie). */
  apiKey?: string;
  /** Resume from here on the first connect (e.g. persisted by the till); default: live only. */
  lastSeq?: number;
  /** Used after `resync_required` to refresh followed payments, e.g. GET /v1/payments/:id. */
  fetchPayment?: (id: string) => Promise<PaymentView>;
  /** Delay before reconnecting after the server closed the socket or refused for now. */
  retryDelayMs?: number;
  /** Extra socket.io-client options (transports, reconnectionDelay...). */
  socket?: Record<string, unknown>;
}

type Listener<T> = (value: T) => void;
interface ClientEvents {
  payment: PaymentUpdated;
  resumed: Resumed;
  resync: ResyncRequired;
  /** The key is refused for good (invalid, revoked, wrong role): no more reconnects. */
  refused: RefusalData;
  connected: undefined;
  disconnected: string;
  /** Money paid to the shop without a prompt that matched no order (a hint: refetch the list). */
  incoming: IncomingPaymentNotice;
}

const FATAL = /^AUTH\./;
const MAX_REMEMBERED = 500;

/**
 * A till's live view of its payments. Reconnects on its own and resumes from the last seq it saw,
 * so nothing committed while it was away is missed (or it is told to refetch).
 */
export class TerminalClient {
  readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  private seq: number | undefined;
  private readonly latest = new Map<string, PaymentView>();
  private readonly listeners = new Map<keyof ClientEvents, Set<Listener<never>>>();
  private stopped = false;

  constructor(private readonly opts: TerminalClientOptions) {
    this.seq = opts.lastSeq;
    const base = opts.url.replace(/\/+$/, '');
    this.socket = io(`${base}${TERMINALS_NAMESPACE}`, {
      transports: ['websocket'],
      ...opts.socket,
      // Evaluated on every (re)connect: the handshake carries the newest lastSeq.
      auth: (cb) =>
        cb({
          ...(opts.apiKey ? { token: opts.apiKey } : {}),
          ...(this.seq === undefined ? {} : { lastSeq: this.seq }),
        }),
    });
    this.socket.on(PAYMENT_UPDATED, (e) => this.onPayment(e));
    this.socket.on(RESUMED, (e) => {
      this.advance(e.seq);
      this.emit('resumed', e);
    });
    this.socket.on(RESYNC_REQUIRED, (e) => void this.onResync(e));
    this.socket.on(KEY_REVOKED, (e) => this.refuse(e));
    this.socket.on(INCOMING_PAYMENT, (e) => this.emit('incoming', e));
    this.socket.on('connect', () => this.emit('connected', undefined));
    this.socket.on('connect_error', (err) => this.onConnectError(err));
    this.socket.on('disconnect', (reason) => {
      this.emit('disconnected', reason);
      // socket.io does not reconnect after a server-side close; we do, unless told to stop.
      if (reason === 'io server disconnect') this.retryLater();
    });
  }

  /** The highest tenant seq seen; persist it to resume across restarts of the till. */
  get lastSeq(): number | undefined {
    return this.seq;
  }

  on<K extends keyof ClientEvents>(event: K, listener: Listener<ClientEvents[K]>): () => void {
    const set = this.listeners.get(event) ?? new Set<Listener<never>>();
    this.listeners.set(event, set);
    set.add(listener as Listener<never>);
    return () => set.delete(listener as Listener<never>);
  }

  /** Resolves once connected (rejects if the key is refused). */
  ready(): Promise<void> {
    if (this.socket.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const offOk = this.on('connected', () => {
        offOk();
        offNo();
        resolve();
      });
      const offNo = this.on('refused', (e) => {
        offOk();
        offNo();
        reject(Object.assign(new Error(e.message), { code: e.code }));
      });
    });
  }

  /**
   * Follows one payment until it is final: `onUpdate` gets every newer view, `onTick` a countdown
   * to its deadline. Pass the view from POST /v1/payments so nothing before the first event is lost.
   */
  follow(
    start: PaymentView,
    handlers: { onUpdate?: (p: PaymentView) => void; onTick?: (seconds: number) => void } = {},
  ): { done: Promise<PaymentView>; stop: () => void } {
    let current = this.newer(start, this.latest.get(start.id));
    let stopTick = handlers.onTick
      ? countdown(current.deadlineAt, handlers.onTick)
      : () => undefined;
    let off: () => void = () => undefined;
    const done = new Promise<PaymentView>((resolve) => {
      const check = (view: PaymentView) => {
        if (view.id !== start.id || view === current) return;
        if (Date.parse(view.updatedAt) < Date.parse(current.updatedAt)) return;
        const deadlineMoved = view.deadlineAt !== current.deadlineAt;
        current = view;
        handlers.onUpdate?.(view);
        if (deadlineMoved && handlers.onTick && !isFinal(view)) {
          stopTick();
          stopTick = countdown(view.deadlineAt, handlers.onTick);
        }
        if (isFinal(view)) finish();
      };
      const finish = () => {
        off();
        stopTick();
        resolve(current);
      };
      off = this.on('payment', (e) => check(e.payment));
      if (isFinal(current)) finish();
    });
    return {
      done,
      stop: () => {
        off();
        stopTick();
      },
    };
  }

  /** Asks the server to replay from `lastSeq` on the open connection. */
  resume(lastSeq: number): void {
    this.socket.emit('resume', { lastSeq });
  }

  close(): void {
    this.stopped = true;
    this.socket.close();
  }

  private onPayment(e: PaymentUpdated): void {
    this.advance(e.seq);
    this.remember(e.payment);
    this.emit('payment', e);
  }

  private async onResync(e: ResyncRequired): Promise<void> {
    this.advance(e.seq);
    this.emit('resync', e);
    const fetch = this.opts.fetchPayment;
    if (!fetch) return;
    for (const id of [...this.latest.keys()]) {
      const view = await fetch(id).catch(() => undefined);
      if (view) {
        this.onPayment({
          seq: e.seq,
          event: { type: 'resync', from: null, to: view.status },
          payment: view,
        });
      }
    }
  }

  private onConnectError(err: Error & { data?: RefusalData }): void {
    if (err.data && FATAL.test(err.data.code)) this.refuse(err.data);
    else if (err.data) this.retryLater(); // refused for now (connection quota, server busy)
  }

  private refuse(e: RefusalData): void {
    this.stopped = true;
    this.socket.close();
    this.emit('refused', e);
  }

  private retryLater(): void {
    if (this.stopped) return;
    setTimeout(() => {
      if (!this.stopped && !this.socket.connected) this.socket.connect();
    }, this.opts.retryDelayMs ?? 1_000);
  }

  private advance(seq: number): void {
    if (this.seq === undefined || seq > this.seq) this.seq = seq;
  }

  private remember(view: PaymentView): void {
    this.latest.delete(view.id);
    this.latest.set(view.id, view);
    if (this.latest.size > MAX_REMEMBERED) {
      this.latest.delete(this.latest.keys().next().value as string);
    }
  }

  private newer(a: PaymentView, b: PaymentView | undefined): PaymentView {
    return b && Date.parse(b.updatedAt) >= Date.parse(a.updatedAt) ? b : a;
  }

  private emit<K extends keyof ClientEvents>(event: K, value: ClientEvents[K]): void {
    for (const l of this.listeners.get(event) ?? []) (l as Listener<ClientEvents[K]>)(value);
  }
}
