import { countdown, type PaymentView } from '@malipo/terminal-client';
import { useEffect, useRef, useState } from 'react';
import type { AccountBalanceNotice } from '../shared/accounts';
import { fetchPayment, useLiveSocket } from '../shared/live-socket';

const REREAD_EVERY_MS = 5_000;

/**
 * Follows the till's payment in flight over the socket, with a countdown to its deadline. After
 * every (re)connect the payment is re-read over REST, so a dropped network never loses its outcome.
 */
export function useLivePayment(
  payment: PaymentView | null,
  onView: (view: PaymentView) => void,
  onIncoming?: () => void,
  onBalance?: (notice: AccountBalanceNotice) => void,
): { seconds: number | null; online: boolean } {
  const [seconds, setSeconds] = useState<number | null>(null);
  const current = useRef<string | null>(null);
  current.current = payment?.id ?? null;

  const { online } = useLiveSocket({
    onPayment: (view) => {
      if (view.id === current.current) onView(view);
    },
    onConnected: () => {
      const id = current.current;
      if (id) fetchPayment(id).then(onView, () => undefined);
      onIncoming?.();
    },
    onIncoming: () => onIncoming?.(),
    onBalance: (notice) => onBalance?.(notice),
  });

  const open = payment && ['created', 'awaiting_customer'].includes(payment.status);
  const openId = open ? payment.id : null;
  // Socket events are hints: one that came before this payment's id was known (the callback can
  // beat the render that stores it) is dropped above. So re-read the payment as soon as it is
  // followed, and every few seconds while it is open; the outcome can never be missed.
  useEffect(() => {
    if (!openId) return undefined;
    const reread = () => void fetchPayment(openId).then(onView, () => undefined);
    reread();
    const timer = setInterval(reread, REREAD_EVERY_MS);
    return () => clearInterval(timer);
  }, [openId]);
  const deadline = open ? payment.deadlineAt : null;
  useEffect(() => {
    setSeconds(null);
    return deadline ? countdown(deadline, setSeconds) : undefined;
  }, [deadline]);

  return { seconds, online };
}
