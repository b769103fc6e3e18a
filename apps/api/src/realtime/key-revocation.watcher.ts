import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig, metrics } from '@malipo/common';
import { DRIZZLE, schema, type Db } from '@malipo/db';
import { KEY_REVOKED } from '@malipo/realtime';
import { and, inArray, isNull } from 'drizzle-orm';
import type { TerminalsNamespace } from './socket-state';

/**
 * Disconnects sockets whose key was revoked. One query per replica per tick for all its keys, so
 * a revoked key's sockets close within REALTIME_KEY_RECHECK_MS (plus the query time).
 */
@Injectable()
export class KeyRevocationWatcher {
  private readonly logger = new Logger(KeyRevocationWatcher.name);
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    @Inject(DRIZZLE) private readonly db: Db,
    private readonly config: AppConfig,
  ) {}

  start(nsp: TerminalsNamespace): void {
    this.timer = setInterval(() => void this.check(nsp), this.config.REALTIME_KEY_RECHECK_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async check(nsp: TerminalsNamespace): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const keyIds = new Set<string>();
      for (const socket of nsp.sockets.values()) keyIds.add(socket.data.principal.keyId);
      if (!keyIds.size) return;
      const k = schema.apiKeys;
      const active = await this.db
        .select({ id: k.id })
        .from(k)
        .where(and(inArray(k.id, [...keyIds]), isNull(k.revokedAt)));
      const alive = new Set(active.map((r) => r.id));
      for (const socket of nsp.sockets.values()) {
        const { keyId } = socket.data.principal;
        // A socket that connected while the query ran was not asked about: not revoked, not yet.
        if (!keyIds.has(keyId) || alive.has(keyId)) continue;
        metrics.realtimeRefused.inc({ reason: 'AUTH.KEY_REVOKED' });
        socket.emit(KEY_REVOKED, { code: 'AUTH.KEY_REVOKED', message: 'This API key was revoked' });
        socket.disconnect(true);
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'could not re-check realtime keys');
    } finally {
      this.running = false;
    }
  }
}
