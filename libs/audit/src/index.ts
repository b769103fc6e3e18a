export * from './hash-chain';
export * from './checkpoint';
export * from './audit-keyring';
export * from './audit-keys.module';
