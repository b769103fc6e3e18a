import { useState, type FormEvent } from 'react';
import { Navigate, useLocation } from 'react-router';
import { ApiError } from './api';
import { HOME } from './role-home';
import { signIn, useSession, useSetSession, useSignInNotice } from './session';

/** Sign in with an API key; the key goes to the api once and is never stored in the browser. */
export function SignInPage() {
  const { session } = useSession();
  const setSession = useSetSession();
  const notice = useSignInNotice();
  const location = useLocation();
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (session) {
    const from = (location.state as { from?: string } | null)?.from;
    return <Navigate to={from && from !== '/' ? from : HOME[session.role]} replace />;
  }
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setSession(await signIn(key.trim()));
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 401
          ? 'That key is not valid or has been revoked.'
          : 'Could not sign in. Try again.',
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="sign-in">
      <h1>Malipo</h1>
      {notice && <p role="status">{notice}</p>}
      <form onSubmit={(e) => void submit(e)} className="panel">
        <label htmlFor="api-key">API key</label>
        <input
          id="api-key"
          type="password"
          autoComplete="off"
          value={key}
          required
          onChange={(e) => setKey(e.target.value)}
        />
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy || !key.trim()}>
          Sign in
        </button>
      </form>
    </main>
  );
}
