/** Every payment of a tenant (owner keys). */
export const tenantRoom = (tenantId: string): string => `t:${tenantId}`;

/** Payments taken at one terminal (that terminal's keys). */
export const terminalRoom = (tenantId: string, terminalId: string): string =>
  `t:${tenantId}:terminal:${terminalId}`;

/** Every socket of a tenant, tills included: unmatched incoming money is for all of them. */
export const incomingRoom = (tenantId: string): string => `t:${tenantId}:incoming`;

/** All sockets of one API key, to count them across replicas. */
export const keyRoom = (keyId: string): string => `k:${keyId}`;

/** Rooms a committed event goes to. */
export function roomsFor(tenantId: string, terminalId: string | null): string[] {
  return terminalId
    ? [tenantRoom(tenantId), terminalRoom(tenantId, terminalId)]
    : [tenantRoom(tenantId)];
}

/** socket.io Redis channel prefix; REDIS_PREFIX keeps deployments and test runs apart. */
export const socketIoRedisKey = (redisPrefix: string): string => `${redisPrefix}:socket.io`;

/**
 * Server-to-server event (Redis emitter → adapter of every api replica) carrying one committed
 * change; each replica hands it to its own sockets, which lets a resuming socket buffer it.
 */
export const PAYMENT_COMMITTED = 'payment.committed';
