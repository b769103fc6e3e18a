export * from './hash-chain';
export * from './checkpoint';
export * from './audit-keyring';
export * from './audit-keys.module';
export * from './checkpoint-policy';
export * from './audit-checkpoints.repository';
