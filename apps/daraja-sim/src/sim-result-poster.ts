import axios from 'axios';
import type { ResultDelivery } from './sim-ledger';

type Entry = Omit<ResultDelivery, 'seq' | 'at' | 'outcome' | 'httpStatus' | 'response'>;

/** Posts results, timeouts and C2B notifications, and remembers each delivery. Never retries. */
export class SimResultPoster {
  private readonly http = axios.create({ timeout: 8_000, validateStatus: () => true });
  private log: ResultDelivery[] = [];
  private seq = 0;
  private readonly aborts = new Set<AbortController>();

  reset(): void {
    this.log = [];
  }

  deliveries(): ResultDelivery[] {
    return [...this.log];
  }

  async post(entry: Entry): Promise<ResultDelivery> {
    const abort = new AbortController();
    this.aborts.add(abort);
    const base = { ...entry, seq: ++this.seq, at: new Date().toISOString() };
    let record: ResultDelivery;
    try {
      const res = await this.http.post(entry.url, entry.body, { signal: abort.signal });
      const ok = res.status >= 200 && res.status < 300;
      record = {
        ...base,
        outcome: ok ? 'delivered' : 'failed',
        httpStatus: res.status,
        response: res.data,
      };
    } catch {
      record = { ...base, outcome: 'failed' };
    } finally {
      this.aborts.delete(abort);
    }
    if (this.log.length > 10_000) this.log.splice(0, 1_000);
    this.log.push(record);
    return record;
  }

  close(): void {
    for (const abort of this.aborts) abort.abort();
    this.aborts.clear();
  }
}
