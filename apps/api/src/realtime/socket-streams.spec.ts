import { Logger } from '@nestjs/common';
import type { CommittedMessage, PaymentUpdated } from '@malipo/realtime';
import type { EventReplay, ReplayResult } from './event-replay';
import type { SocketState, TerminalsSocket } from './socket-state';
import { SocketStreams } from './socket-streams';

const msg = (seq: number): CommittedMessage => ({
  seq,
  event: { type: 'paid', from: 'awaiting_customer', to: 'succeeded' },
  payment: { id: `p${seq}` } as CommittedMessage['payment'],
  tenantId: 't',
  terminalId: null,
});

function fakeSocket() {
  const sent: { event: string; payload: unknown }[] = [];
  const data: SocketState = {
    principal: { keyId: 'k', role: 'owner', tenantId: null, terminalId: null },
    replaying: false,
    floor: 0,
    lastSent: 0,
    buffer: [],
    chain: Promise.resolve(),
  };
  const socket = {
    id: 's1',
    data,
    emit: (event: string, payload: unknown) => sent.push({ event, payload }),
    disconnect: jest.fn(),
  } as unknown as TerminalsSocket;
  const seqs = () =>
    sent.filter((s) => s.event === 'payment.updated').map((s) => (s.payload as PaymentUpdated).seq);
  return { socket, sent, seqs };
}

describe(SocketStreams.name, () => {
  it('buffers live events during a replay and sends each seq once, replay first', async () => {
    let finish!: (r: ReplayResult) => void;
    const replay = { since: () => new Promise<ReplayResult>((r) => (finish = r)) };
    const sut = new SocketStreams(replay as unknown as EventReplay);
    const { socket, seqs, sent } = fakeSocket();

    const resumed = sut.resume(socket, 4);
    await Promise.resolve();
    // Live copies of events the replay also read (5, 6), one it did not (7), out of order.
    [7, 5, 6].forEach((s) => sut.deliver(socket, msg(s)));
    expect(seqs()).toEqual([]);
    finish({ kind: 'events', events: [5, 6].map((s) => ({ ...msg(s), replayed: true as const })) });
    await resumed;

    expect(seqs()).toEqual([5, 6, 7]);
    expect(sent.find((s) => s.event === 'resumed')?.payload).toEqual({
      from: 4,
      replayed: 2,
      seq: 6,
    });
    sut.deliver(socket, msg(6));
    sut.deliver(socket, msg(9));
    sut.deliver(socket, msg(8)); // another process published 8 after 9: still delivered
    expect(seqs()).toEqual([5, 6, 7, 9, 8]);
  });

  it('after resync_required continues live from the head it announced', async () => {
    const replay = {
      since: async (): Promise<ReplayResult> => ({
        kind: 'resync',
        reason: 'too_many_events',
        seq: 50,
      }),
    };
    const sut = new SocketStreams(replay as unknown as EventReplay);
    const { socket, seqs, sent } = fakeSocket();
    await sut.resume(socket, 1);
    sut.deliver(socket, msg(50));
    sut.deliver(socket, msg(51));
    expect(sent[0]).toEqual({
      event: 'resync_required',
      payload: { reason: 'too_many_events', seq: 50 },
    });
    expect(seqs()).toEqual([51]);
  });

  it('a catch-up resumes from the highest seq already sent, read when it starts', async () => {
    const since = jest.fn(async (): Promise<ReplayResult> => ({ kind: 'events', events: [] }));
    const sut = new SocketStreams({ since } as unknown as EventReplay);
    const { socket } = fakeSocket();
    sut.deliver(socket, msg(9));
    sut.deliver(socket, msg(8));
    await sut.resume(socket, 'last_sent');
    expect(since).toHaveBeenCalledWith(socket.data.principal, 9);
    expect(socket.data.lastSent).toBe(9);
  });

  it('drops the socket when the replay cannot be read, rather than leave a gap', async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const replay = { since: async () => Promise.reject(new Error('db down')) };
    const sut = new SocketStreams(replay as unknown as EventReplay);
    const { socket } = fakeSocket();
    expect(await sut.resume(socket, 1)).toBeUndefined();
    expect(socket.disconnect).toHaveBeenCalledWith(true);
  });
});
