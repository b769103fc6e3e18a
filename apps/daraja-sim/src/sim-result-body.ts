import { randomBytes, randomInt } from 'node:crypto';
import { eatTimestamp } from './sim-ids';

/** `AG_YYYYMMDD_<hex>` (REFERENCE §10). */
export function conversationId(at: Date): string {
  return `AG_${eatTimestamp(at).slice(0, 8)}_${randomBytes(10).toString('hex')}`;
}

/** Digit-dash style, e.g. `1236-7134259-1`. */
export function originatorConversationId(): string {
  return `${randomInt(1000, 99_999)}-${randomInt(1_000_000, 99_999_999)}-1`;
}

export interface ResultIds {
  originatorConversationId: string;
  conversationId: string;
}

type Param = [string, string | number | undefined];

/** `{Key, Value}` items; a key with an undefined value is sent without `Value`, like Daraja. */
function items(params: Param[]): Record<string, unknown>[] {
  return params.map(([Key, Value]) => (Value === undefined ? { Key } : { Key, Value }));
}

/**
 * The `{"Result": …}` envelope (REFERENCE §12). A single parameter is sent as one object, not an
 * array (as in the live 2001 result of mpesa-api#12); none at all leaves ResultParameters out.
 */
export function resultBody(opts: {
  ids: ResultIds;
  resultCode: number | string;
  resultDesc: string;
  transactionId: string;
  params: Param[];
  occasion?: string;
}): Record<string, unknown> {
  const list = items(opts.params);
  const result: Record<string, unknown> = {
    ResultType: 0,
    ResultCode: opts.resultCode,
    ResultDesc: opts.resultDesc,
    OriginatorConversationID: opts.ids.originatorConversationId,
    ConversationID: opts.ids.conversationId,
    TransactionID: opts.transactionId,
  };
  if (list.length) {
    result.ResultParameters = { ResultParameter: list.length === 1 ? list[0] : list };
  }
  result.ReferenceData = {
    ReferenceItem: opts.occasion ? { Key: 'Occasion', Value: opts.occasion } : { Key: 'Occasion' },
  };
  return { Result: result };
}

/** What the sim posts to the QueueTimeOutURL; Daraja's shape is undocumented (REFERENCE §12). */
export function queueTimeoutBody(ids: ResultIds): Record<string, unknown> {
  return {
    Result: {
      ResultType: 1,
      ResultCode: 1,
      ResultDesc: 'The request timed out in the queue.',
      OriginatorConversationID: ids.originatorConversationId,
      ConversationID: ids.conversationId,
      TransactionID: '',
    },
  };
}
