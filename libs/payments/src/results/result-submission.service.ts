import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, AppError, ValidationError, type TenantId } from '@malipo/common';
import {
  ChannelCredentialsReader,
  DRIZZLE,
  type ChannelCredentials,
  type ChannelRow,
  type Db,
} from '@malipo/db';
import {
  ResultApiClient,
  type InitiatorCredentials,
  type ResultApiSubmission,
} from '@malipo/daraja';
import {
  DarajaRequestsRepository,
  type DarajaRequestKind,
  type DarajaRequestRow,
} from './daraja-requests.repository';
import { HOOK_PATHS, HookToken, hookUrl } from './hook-token';

export interface Submitted {
  request: DarajaRequestRow;
  submission: ResultApiSubmission;
}

/**
 * Sends a result-based request with the conversation ids stored before anything else happens
 * (REFERENCE §12): the row exists (committed) before Daraja is called, so its token URL always
 * finds it, and the ids are written the moment the answer comes.
 */
@Injectable()
export class ResultSubmissionService {
  constructor(
    private readonly requests: DarajaRequestsRepository,
    private readonly reader: ChannelCredentialsReader,
    private readonly client: ResultApiClient,
    private readonly tokens: HookToken,
    @Inject(DRIZZLE) private readonly db: Db,
    private readonly config: AppConfig,
  ) {}

  /** The channel's initiator, or a 400 telling the owner to set one. */
  initiatorOf(channel: ChannelRow): InitiatorCredentials {
    const initiator = this.reader.initiatorFor(channel);
    if (!initiator) {
      throw new ValidationError(
        'This channel has no initiator (PUT /v1/channels/:id/initiator)',
        { field: 'channelId' },
        'CHANNEL.NO_INITIATOR',
      );
    }
    return initiator;
  }

  async submit(
    tenantId: TenantId,
    channel: ChannelRow,
    r: { kind: DarajaRequestKind; paymentId?: string; reversalId?: string },
    send: (urls: { resultUrl: string; queueTimeoutUrl: string }) => Promise<ResultApiSubmission>,
  ): Promise<Submitted> {
    const db = this.db;
    const request = await this.requests.create(db, tenantId, { channelId: channel.id, ...r });
    const token = this.tokens.issue('result', { tenantId, subjectId: request.id });
    const base = this.config.PUBLIC_BASE_URL;
    const submission = await send({
      resultUrl: hookUrl(base, HOOK_PATHS.result, token),
      queueTimeoutUrl: hookUrl(base, HOOK_PATHS.timeout, token),
    }).catch((error: unknown) => failedBeforeAnswer(error));
    const patch =
      submission.kind === 'accepted'
        ? {
            state: 'accepted' as const,
            conversationId: submission.conversationId,
            originatorConversationId: submission.originatorConversationId,
          }
        : { state: submission.kind, resultCode: submission.reason, resultDesc: submission.message };
    await this.requests.update(db, tenantId, request.id, { ...patch, request: submission.request });
    return { request: { ...request, ...patch }, submission };
  }

  credentialsOf(channel: ChannelRow): ChannelCredentials {
    return this.reader.open(channel);
  }
}

/**
 * A throw instead of an answer must not leave the request (or a reversal waiting on it) `sending`
 * for ever: our own refusal before sending (AppError, e.g. a field Daraja would refuse) is a
 * refusal; anything else may have happened after the request left, so it is unknown.
 */
function failedBeforeAnswer(error: unknown): ResultApiSubmission {
  if (error instanceof AppError) {
    return {
      kind: 'refused',
      reason: error.code,
      message: error.message,
      retryable: false,
      request: {},
    };
  }
  const message = error instanceof Error ? error.message : 'unexpected error';
  return { kind: 'unknown', reason: 'INTERNAL', message: message.slice(0, 300), request: {} };
}
