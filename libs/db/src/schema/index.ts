export * from './tenancy';
export * from './payments';
export * from './webhooks';
export * from './reconciliation';
export * from './result-apis';
export * from './accounts';
export * from './ledger';
export * from './audit';
