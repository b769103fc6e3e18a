import { Link, Outlet } from 'react-router';
import { HOME } from './role-home';
import { useSession, type Role } from './session';

/** Pages for other roles are not shown; the api refuses their data anyway (403/404). */
export function RequireRole({ roles }: { roles: Role[] }) {
  const { session } = useSession();
  if (!session) return null;
  if (roles.includes(session.role)) return <Outlet />;
  return (
    <section className="panel" aria-labelledby="not-here">
      <h1 id="not-here">Not available with this key</h1>
      <p>
        This page is not available to a {session.role === 'terminal' ? 'till' : session.role} key.
      </p>
      <Link to={HOME[session.role]}>Go to your start page</Link>
    </section>
  );
}
