import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, type ReactNode } from 'react';
import { api, setCsrfToken, unwrap, whenSignedOut } from './api';

export type Role = 'terminal' | 'owner' | 'ops';

export interface Session {
  role: Role;
  tenantId: string | null;
  terminalId: string | null;
  shopName: string | null;
  terminalName: string | null;
  csrfToken: string | null;
}

const SESSION_KEY = ['session'] as const;
const NOTICE_KEY = ['sign-in-notice'] as const;

async function fetchSession(): Promise<Session | null> {
  const { data, response } = await api.GET('/v1/session');
  if (response.status === 401) return null;
  if (!response.ok) throw new Error(`Could not load the session (${response.status})`);
  return data as unknown as Session;
}

/** The signed-in session (null when signed out); the CSRF token follows it. */
export function useSession(): { session: Session | null | undefined; loading: boolean } {
  const { data, isPending } = useQuery({
    queryKey: SESSION_KEY,
    queryFn: fetchSession,
    staleTime: Infinity,
    retry: 1,
  });
  useEffect(() => setCsrfToken(data?.csrfToken ?? null), [data]);
  return { session: data, loading: isPending };
}

/** Replaces the session; signing out (null) forgets every cached answer and says why. */
export function useSetSession(): (s: Session | null, notice?: string) => void {
  const client = useQueryClient();
  return useCallback(
    (s, notice) => {
      setCsrfToken(s?.csrfToken ?? null);
      client.setQueryData(NOTICE_KEY, notice ?? null);
      client.setQueryData(SESSION_KEY, s);
      // Nothing the last person saw may stay in memory (the session's own queries stay observed).
      if (!s) {
        client.removeQueries({
          predicate: (q) => !['session', 'sign-in-notice'].includes(String(q.queryKey[0])),
        });
      }
    },
    [client],
  );
}

/** Why the console was signed out, for the sign-in page. */
export function useSignInNotice(): string | null {
  const { data } = useQuery<string | null>({
    queryKey: NOTICE_KEY,
    queryFn: () => null,
    staleTime: Infinity,
  });
  return data ?? null;
}

/** Any 401 signs the console out (idle expiry, sign-out elsewhere, revoked key). */
export function SessionWatch({ children }: { children: ReactNode }) {
  const setSession = useSetSession();
  useEffect(
    () => whenSignedOut(() => setSession(null, 'Your session has ended. Sign in again.')),
    [setSession],
  );
  return children;
}

export async function signIn(apiKey: string): Promise<Session> {
  return unwrap<Session>(api.POST('/v1/session', { body: { apiKey } }));
}

export async function signOut(): Promise<void> {
  await api.DELETE('/v1/session');
}
