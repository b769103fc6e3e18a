import { UnparsableBody, isRecord, type SimAnswer } from './sim-answer';
import {
  matches,
  type CallbackRecord,
  type RecordFilter,
  type RequestKind,
  type RequestRecord,
} from './sim-records';

/** Oldest entries are dropped beyond this, so a long load run cannot exhaust memory. */
export const LOG_LIMIT = 50_000;

function capped<T>(log: T[]): T[] {
  if (log.length >= LOG_LIMIT) log.splice(0, Math.ceil(LOG_LIMIT / 10));
  return log;
}

/** What the simulator received and sent, for tests to assert on ("exactly one push"). */
export class SimLog {
  private requestLog: RequestRecord[] = [];
  private callbackLog: CallbackRecord[] = [];
  private seq = 0;

  reset(): void {
    this.requestLog = [];
    this.callbackLog = [];
  }

  request(
    method: string,
    path: string,
    kind: RequestKind,
    answer: SimAnswer,
    extra: Partial<RequestRecord>,
  ): void {
    const errorCode =
      isRecord(answer.body) && typeof answer.body.errorCode === 'string'
        ? answer.body.errorCode
        : undefined;
    capped(this.requestLog).push({
      seq: ++this.seq,
      at: new Date().toISOString(),
      method,
      path,
      kind,
      status: answer.status,
      errorCode,
      response: answer.body,
      ...extra,
      body: extra.body instanceof UnparsableBody ? `<${extra.body.kind}>` : extra.body,
    });
  }

  callback(entry: Omit<CallbackRecord, 'seq' | 'at'>): void {
    capped(this.callbackLog).push({ ...entry, seq: ++this.seq, at: new Date().toISOString() });
  }

  requests(filter: RecordFilter = {}): RequestRecord[] {
    return this.requestLog.filter((r) => matches(r, filter));
  }

  callbacks(filter: RecordFilter = {}): CallbackRecord[] {
    return this.callbackLog.filter((r) => matches(r, filter));
  }
}
