export * from './daraja.types';
export * from './daraja.errors';
export * from './daraja.client';
export * from './daraja.module';
export * from './phone';
export * from './password';
export * from './stk-outcome';
export * from './stk-callback';
export * from './daraja-values';
export {
  BANNED_URL_WORDS,
  MAX_AMOUNT,
  MAX_ACCOUNT_REFERENCE,
  MAX_TRANSACTION_DESC,
  accountReferenceFor,
  transactionDescFor,
} from './stk-request';
export { OAuthTokenCache } from './oauth-token.cache';
export * from './pull-transactions';
export * from './security-credential';
export * from './result-envelope';
export * from './result-requests';
export * from './result-api.types';
export { ResultApiClient } from './result-api.client';
export * from './result-outcomes';
export * from './c2b-confirmation';
export { darajaHealth } from './daraja-metrics';
export { normalisePulledRow, pulledRows } from './pulled-transaction';
