import { addScrapeReader, backlogGauges } from '@malipo/common';
import type { Pool } from 'pg';

const pools = new Set<Pool>();
let reading = false;

/** Pool clients in use, idle and waited for, summed over this process's live pools, on scrape. */
export function watchPoolClients(pool: Pool): void {
  pools.add(pool);
  if (reading) return;
  reading = true;
  addScrapeReader(() => {
    let inUse = 0;
    let idle = 0;
    let waiting = 0;
    for (const p of pools) {
      if ((p as Pool & { ending?: boolean }).ending) {
        pools.delete(p);
        continue;
      }
      inUse += p.totalCount - p.idleCount;
      idle += p.idleCount;
      waiting += p.waitingCount;
    }
    backlogGauges.pgPool.set({ state: 'in_use' }, inUse);
    backlogGauges.pgPool.set({ state: 'idle' }, idle);
    backlogGauges.pgPool.set({ state: 'waiting' }, waiting);
  });
}
