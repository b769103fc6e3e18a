export * from './tenancy';
export * from './payments';
export * from './webhooks';
export * from './reconciliation';
export * from './result-apis';
export * from './audit';
export * from './audit-checkpoints';
