export * from './secret-box';
export * from './api-key';
export * from './ed25519-keys';
