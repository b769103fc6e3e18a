import type { PaymentView } from '@malipo/terminal-client';
import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../shared/api';
import { cancelPayment, fetchPayment, retryPayment, startPayment, takeCash } from './till-api';

/** What the cashier did that a late M-Pesa success would contradict (the customer paid twice). */
export type GaveUp = 'cancelled' | 'cash' | null;

interface Stored {
  id: string;
  gaveUp: GaveUp;
}

const STORE = 'malipo.till.current';
const load = (): Stored | null =>
  JSON.parse(sessionStorage.getItem(STORE) ?? 'null') as Stored | null;
const save = (s: Stored | null): void =>
  s ? sessionStorage.setItem(STORE, JSON.stringify(s)) : sessionStorage.removeItem(STORE);

const newer = (a: PaymentView | null, b: PaymentView): PaymentView =>
  a && a.id === b.id && Date.parse(a.updatedAt) > Date.parse(b.updatedAt) ? a : b;

function messageOf(error: unknown): string {
  if (!(error instanceof ApiError)) {
    return 'The till could not reach the server. Check the network and try again.';
  }
  switch (error.code) {
    case 'PAYMENT.PHONE_BUSY':
      return 'This phone already has a prompt waiting. Ask the customer to answer or cancel it, then try again.';
    case 'PAYMENT.ALREADY_PAID':
      return 'This order is already paid.';
    case 'PAYMENT.ATTEMPT_NOT_FINAL':
      return 'The last prompt is not finished yet. Wait a moment, then try again.';
    default:
      return error.message;
  }
}

/**
 * The till's one payment in flight: sent, followed live, acted on. Its id lives in sessionStorage
 * (never a key), so a reload picks the same payment up again instead of losing it.
 */
export function useTill() {
  const [payment, setPayment] = useState<PaymentView | null>(null);
  const [gaveUp, setGaveUp] = useState<GaveUp>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const stored = load();
    if (!stored) return;
    setGaveUp(stored.gaveUp);
    fetchPayment(stored.id).then(setPayment, () => save(null));
  }, []);

  const track = useCallback((view: PaymentView, cashier: GaveUp = null) => {
    setPayment((old) => newer(old, view));
    if (cashier) setGaveUp(cashier);
    save({ id: view.id, gaveUp: cashier ?? load()?.gaveUp ?? null });
  }, []);

  const run = useCallback(
    async (work: () => Promise<void>) => {
      setBusy(true);
      setError(null);
      try {
        await work();
      } catch (e) {
        const inProgress = e instanceof ApiError && e.code === 'PAYMENT.IN_PROGRESS';
        const id = inProgress ? (e.details.paymentId as string | undefined) : undefined;
        if (id) track(await fetchPayment(id));
        else setError(messageOf(e));
      } finally {
        setBusy(false);
      }
    },
    [track],
  );

  const id = payment?.id ?? '';
  return {
    payment,
    gaveUp,
    error,
    busy,
    onView: useCallback((v: PaymentView) => setPayment((old) => newer(old, v)), []),
    send: (body: Parameters<typeof startPayment>[0], key: string) =>
      run(async () => {
        setGaveUp(null);
        save(null);
        track(await startPayment(body, key));
      }),
    cancel: () => run(async () => track(await cancelPayment(id), 'cancelled')),
    retry: () => run(async () => track(await retryPayment(id))),
    cash: () => run(async () => track(await takeCash(id), 'cash')),
    refresh: () => run(async () => track(await fetchPayment(id))),
    reset: () => {
      setPayment(null);
      setGaveUp(null);
      setError(null);
      save(null);
    },
  };
}

export type Till = ReturnType<typeof useTill>;
