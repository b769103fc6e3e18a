import { ACCOUNT_BALANCE, type AccountBalanceNotice } from '@malipo/realtime-protocol';
import {
  TerminalClient,
  type IncomingPaymentNotice,
  type PaymentView,
} from '@malipo/terminal-client';
import { useEffect, useRef, useState } from 'react';
import { api, unwrap } from './api';
import { useSetSession } from './session';

export const fetchPayment = (id: string): Promise<PaymentView> =>
  unwrap<PaymentView>(api.GET('/v1/payments/{id}', { params: { path: { id } } }));

/**
 * The /terminals socket through libs/terminal-client, authenticated by the session cookie. It
 * reconnects and resumes from the last event it saw by itself; `onConnected` runs after every
 * (re)connect so callers can re-read what they show. A refused key signs the console out.
 */
export function useLiveSocket(handlers: {
  enabled?: boolean;
  onPayment: (view: PaymentView) => void;
  onConnected?: () => void;
  /** Money paid without a prompt that matched no order. */
  onIncoming?: (notice: IncomingPaymentNotice) => void;
  /** An account's balance changed (a deposit, charge, reversal or adjustment was posted). */
  onBalance?: (notice: AccountBalanceNotice) => void;
}): { online: boolean } {
  const setSession = useSetSession();
  const [online, setOnline] = useState(true);
  const latest = useRef(handlers);
  latest.current = handlers;
  const enabled = handlers.enabled ?? true;

  useEffect(() => {
    if (!enabled) return;
    const client = new TerminalClient({
      url: window.location.origin,
      fetchPayment,
      retryDelayMs: 500,
    });
    const connected = () => latest.current.onConnected?.();
    const balance = (n: AccountBalanceNotice) => latest.current.onBalance?.(n);
    // Not a payment event (no seq, nothing to resume): straight from the client's socket.
    client.socket.on(ACCOUNT_BALANCE, balance);
    const offs = [
      client.on('payment', (e) => latest.current.onPayment(e.payment)),
      client.on('incoming', (e) => latest.current.onIncoming?.(e)),
      client.on('connected', () => {
        setOnline(true);
        connected();
      }),
      client.on('disconnected', () => setOnline(false)),
      client.on('resync', connected),
      client.on('refused', (e) =>
        setSession(
          null,
          /REVOKED|INVALID/.test(e.code)
            ? 'This key was revoked. Sign in with a new key.'
            : e.message,
        ),
      ),
    ];
    return () => {
      client.socket.off(ACCOUNT_BALANCE, balance);
      offs.forEach((off) => off());
      client.close();
    };
  }, [enabled, setSession]);

  return { online };
}
