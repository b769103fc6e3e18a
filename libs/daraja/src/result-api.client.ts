import { type DarajaClient } from './daraja.client';
import { DarajaError } from './daraja.errors';
import {
  envelopeOf,
  errorFromAnswer,
  type DarajaOperation,
  type HttpAnswer,
} from './daraja-response';
import type { DarajaCredentials } from './daraja.types';
import {
  buildAccountBalanceRequest,
  buildC2bRegisterRequest,
  buildReversalRequest,
  buildTransactionStatusRequest,
  type AccountBalanceInput,
  type BuiltRequest,
  type C2bRegisterInput,
  type ReversalInput,
  type TransactionStatusInput,
} from './result-requests';
import {
  submissionFromError,
  type C2bRegistration,
  type RefusalOrUnknown,
  type ResultApiSubmission,
} from './result-api.types';
import type { InitiatorCredentials } from './security-credential';

const str = (v: unknown): string =>
  typeof v === 'string' || typeof v === 'number' ? String(v) : '';

/**
 * Transaction Status, Reversal, Account Balance and C2B Register URL (REFERENCE §7, §12). Never
 * retried: a second Reversal request for a lost answer is exactly what must not happen blindly.
 */
export class ResultApiClient {
  constructor(private readonly daraja: DarajaClient) {}

  transactionStatus(
    creds: DarajaCredentials,
    initiator: InitiatorCredentials,
    input: TransactionStatusInput,
  ): Promise<ResultApiSubmission> {
    const built = buildTransactionStatusRequest(creds, initiator, input);
    return this.submit(creds, '/mpesa/transactionstatus/v1/query', built, 'transaction status');
  }

  reversal(
    creds: DarajaCredentials,
    initiator: InitiatorCredentials,
    input: ReversalInput,
  ): Promise<ResultApiSubmission> {
    const built = buildReversalRequest(creds, initiator, input);
    return this.submit(creds, '/mpesa/reversal/v1/request', built, 'reversal');
  }

  accountBalance(
    creds: DarajaCredentials,
    initiator: InitiatorCredentials,
    input: AccountBalanceInput,
  ): Promise<ResultApiSubmission> {
    const built = buildAccountBalanceRequest(creds, initiator, input);
    return this.submit(creds, '/mpesa/accountbalance/v1/query', built, 'account balance');
  }

  async registerC2bUrls(
    creds: DarajaCredentials,
    input: C2bRegisterInput,
  ): Promise<C2bRegistration> {
    const body = buildC2bRegisterRequest(creds, input);
    const outcome = await this.call(creds, '/mpesa/c2b/v1/registerurl', body, 'c2b register');
    if (outcome.kind !== 'answer') {
      return { kind: outcome.kind, reason: outcome.reason, message: outcome.message };
    }
    const data = (outcome.answer.data ?? {}) as Record<string, unknown>;
    if (outcome.answer.status === 200 && str(data.ResponseCode) === '0') {
      return { kind: 'registered', responseDescription: str(data.ResponseDescription) };
    }
    const env = envelopeOf(outcome.answer.data);
    return {
      kind: 'refused',
      reason: env.errorCode ?? (str(data.ResponseCode) || String(outcome.answer.status)),
      message: env.errorMessage ?? str(data.ResponseDescription),
    };
  }

  private async submit(
    creds: DarajaCredentials,
    path: string,
    built: BuiltRequest,
    op: DarajaOperation,
  ): Promise<ResultApiSubmission> {
    const request = built.redacted;
    const outcome = await this.call(creds, path, built.body, op);
    if (outcome.kind !== 'answer') return { ...outcome, request };
    const { answer } = outcome;
    const data = (answer.data ?? {}) as Record<string, unknown>;
    const conversationId = str(data.ConversationID);
    const originatorConversationId = str(data.OriginatorConversationID);
    if (answer.status === 200 && str(data.ResponseCode) === '0' && conversationId) {
      return {
        kind: 'accepted',
        conversationId,
        originatorConversationId,
        responseDescription: str(data.ResponseDescription),
        request,
      };
    }
    if (answer.status === 200) {
      const reason = str(data.ResponseCode) || 'no ConversationID';
      const message = str(data.ResponseDescription) || `Daraja ${op} not accepted`;
      return { kind: 'refused', reason, message, retryable: false, request };
    }
    return submissionFromError(errorFromAnswer(answer, op), request);
  }

  /** The HTTP answer, or what the transport failure means for a request that may have left. */
  private async call(
    creds: DarajaCredentials,
    path: string,
    body: Record<string, unknown>,
    op: DarajaOperation,
  ): Promise<{ kind: 'answer'; answer: HttpAnswer } | RefusalOrUnknown> {
    try {
      return { kind: 'answer', answer: await this.daraja.postOnce(creds, path, body, op) };
    } catch (error) {
      if (!(error instanceof DarajaError)) throw error;
      return submissionFromError(error, {});
    }
  }
}
