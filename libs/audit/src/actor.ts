import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Who made a change (issue 18). Recorded on every audit entry; never a secret, never a full
 * phone number. `cashier` is what the till sent (trimmed, at most 64 characters).
 */
export type Actor =
  | {
      kind: 'api_key' | 'session' | 'operator';
      keyId: string;
      role: 'terminal' | 'owner' | 'ops';
      terminalId?: string;
      ip: string;
      requestId: string;
      cashier?: string;
    }
  | { kind: 'daraja'; ip: string | null }
  | { kind: 'system'; job: string };

const storage = new AsyncLocalStorage<{ actor: Actor }>();

/** What changes made outside any request or job name as their actor (a process of our own). */
export const UNNAMED_SYSTEM_ACTOR: Actor = { kind: 'system', job: 'unnamed' };

/** Runs `work` with `actor` as the actor of every change it makes (request, job, callback). */
export function runAsActor<T>(actor: Actor, work: () => T): T {
  return storage.run({ actor }, work);
}

/** The actor of the request or job in progress; a system actor outside of one. */
export function currentActor(): Actor {
  return storage.getStore()?.actor ?? UNNAMED_SYSTEM_ACTOR;
}

/**
 * Adds the cashier's name to the current request's actor (it arrives in the body, after the
 * actor was set from the key). No effect outside a request.
 */
export function nameCashier(cashier: string | undefined): void {
  const store = storage.getStore();
  if (!store || !cashier || !('keyId' in store.actor)) return;
  store.actor = { ...store.actor, cashier };
}

export const systemActor = (job: string): Actor => ({ kind: 'system', job });
