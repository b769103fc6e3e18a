import { Navigate, NavLink, Outlet, useLocation } from 'react-router';
import { signOut, useSession, useSetSession, type Role } from './session';

const NAV: Record<Role, { to: string; label: string }[]> = {
  terminal: [],
  owner: [
    { to: '/shop/payments', label: 'Payments' },
    { to: '/shop/accounts', label: 'Accounts' },
    { to: '/shop/reports', label: 'Reports' },
    { to: '/shop/discrepancies', label: 'Discrepancies' },
    { to: '/shop/settings', label: 'Settings' },
  ],
  ops: [
    { to: '/ops/shops', label: 'Shops' },
    { to: '/ops/reconciliation', label: 'Reconciliation' },
    { to: '/ops/callbacks', label: 'Callbacks' },
    { to: '/ops/discrepancies', label: 'Discrepancies' },
    { to: '/ops/health', label: 'Health' },
  ],
};

/** Header, navigation for the role, sign-out; signed-out visitors go to the sign-in page. */
export function Layout() {
  const { session, loading } = useSession();
  const setSession = useSetSession();
  const location = useLocation();
  if (loading) return <p className="loading">Loading…</p>;
  if (!session) {
    return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  }
  const leave = async () => {
    await signOut();
    setSession(null, 'You have signed out.');
  };
  return (
    <div className="app">
      <header className="top no-print">
        <span className="brand">Malipo</span>
        <span className="who">
          {session.shopName ?? 'Operations'}
          {session.terminalName ? ` · ${session.terminalName}` : ''}
        </span>
        <nav aria-label="Main">
          {NAV[session.role].map((n) => (
            <NavLink key={n.to} to={n.to}>
              {n.label}
            </NavLink>
          ))}
        </nav>
        <button type="button" className="link" onClick={() => void leave()}>
          Sign out
        </button>
      </header>
      <main>
        <Outlet />
      </main>
    </div>
  );
}
