import { validateConfig } from '@malipo/common';
import type { Db } from '@malipo/db';
import { KeyRevocationWatcher } from './key-revocation.watcher';
import type { TerminalsNamespace, TerminalsSocket } from './socket-state';

function socketOf(id: string, keyId: string) {
  const socket = {
    id,
    data: { principal: { keyId, role: 'terminal', tenantId: 't', terminalId: 'x' } },
    emit: jest.fn(),
    disconnect: jest.fn(),
  };
  return socket as typeof socket & TerminalsSocket;
}

/** A database whose api_keys query answers when the test says, with the keys still active. */
function pendingDb() {
  let answer!: (rows: { id: string }[]) => void;
  const db = {
    select: () => ({
      from: () => ({ where: () => new Promise<{ id: string }[]>((r) => (answer = r)) }),
    }),
  };
  return { db: db as unknown as Db, answer: (ids: string[]) => answer(ids.map((id) => ({ id }))) };
}

describe(KeyRevocationWatcher.name, () => {
  const config = validateConfig({
    CREDENTIALS_KEY: 'unit-credentials-key-0123456789abcdef',
    CALLBACK_SECRET: 'unit-callback-secret-0123456789abcdef',
  });

  it('disconnects the sockets of a revoked key, and only those', async () => {
    const { db, answer } = pendingDb();
    const kept = socketOf('s1', 'k-live');
    const revoked = socketOf('s2', 'k-revoked');
    const nsp = {
      sockets: new Map([
        [kept.id, kept],
        [revoked.id, revoked],
      ]),
    };
    const checking = new KeyRevocationWatcher(db, config).check(
      nsp as unknown as TerminalsNamespace,
    );
    answer(['k-live']);
    await checking;
    expect(revoked.disconnect).toHaveBeenCalledWith(true);
    expect(revoked.emit).toHaveBeenCalledWith(
      'key_revoked',
      expect.objectContaining({ code: 'AUTH.KEY_REVOKED' }),
    );
    expect(kept.disconnect).not.toHaveBeenCalled();
  });

  it('leaves alone a socket that connected while the check was querying', async () => {
    const { db, answer } = pendingDb();
    const before = socketOf('s1', 'k-before');
    const nsp = { sockets: new Map([[before.id, before]]) };
    const checking = new KeyRevocationWatcher(db, config).check(
      nsp as unknown as TerminalsNamespace,
    );
    const during = socketOf('s2', 'k-new');
    nsp.sockets.set(during.id, during);
    answer(['k-before']);
    await checking;
    expect(during.disconnect).not.toHaveBeenCalled();
    expect(before.disconnect).not.toHaveBeenCalled();
  });
});
