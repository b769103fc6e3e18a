import { TerminalClient, countdown, type PaymentView } from '@malipo/terminal-client';
import { useEffect, useRef, useState } from 'react';
import { useSetSession } from '../shared/session';
import { fetchPayment } from './till-api';

/**
 * The till's socket, through libs/terminal-client: it authenticates with the session cookie,
 * reconnects on its own and resumes from the last event it saw. After every (re)connect the
 * payment in flight is re-read over REST, so a dropped network never loses its outcome.
 */
export function useLivePayment(
  payment: PaymentView | null,
  onView: (view: PaymentView) => void,
): { seconds: number | null; online: boolean } {
  const setSession = useSetSession();
  const [online, setOnline] = useState(true);
  const [seconds, setSeconds] = useState<number | null>(null);
  const current = useRef<string | null>(null);
  current.current = payment?.id ?? null;
  const handler = useRef(onView);
  handler.current = onView;

  useEffect(() => {
    const client = new TerminalClient({
      url: window.location.origin,
      fetchPayment,
      retryDelayMs: 500,
    });
    const refresh = () => {
      const id = current.current;
      if (id) {
        fetchPayment(id).then(
          (v) => handler.current(v),
          () => undefined,
        );
      }
    };
    const offs = [
      client.on('payment', (e) => {
        if (e.payment.id === current.current) handler.current(e.payment);
      }),
      client.on('connected', () => {
        setOnline(true);
        refresh();
      }),
      client.on('disconnected', () => setOnline(false)),
      client.on('resync', refresh),
      client.on('refused', (e) =>
        setSession(
          null,
          e.code === 'AUTH.KEY_REVOKED'
            ? 'This till’s key was revoked. Sign in with a new key.'
            : e.message,
        ),
      ),
    ];
    return () => {
      offs.forEach((off) => off());
      client.close();
    };
  }, [setSession]);

  const open = payment && ['created', 'awaiting_customer'].includes(payment.status);
  const deadline = open ? payment.deadlineAt : null;
  useEffect(() => {
    setSeconds(null);
    return deadline ? countdown(deadline, setSeconds) : undefined;
  }, [deadline]);

  return { seconds, online };
}
