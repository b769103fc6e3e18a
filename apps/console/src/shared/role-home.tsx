import { Navigate } from 'react-router';
import { useSession, type Role } from './session';

export const HOME: Record<Role, string> = {
  terminal: '/till',
  owner: '/shop/payments',
  ops: '/ops/shops',
};

/** The role decides the view: a till key gets its till, an owner the shop, ops the operator console. */
export function RoleHome() {
  const { session } = useSession();
  return session ? <Navigate to={HOME[session.role]} replace /> : null;
}
