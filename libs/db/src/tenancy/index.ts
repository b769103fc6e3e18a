export * from './tenancy.types';
export * from './tenants.repository';
export * from './channels.repository';
export * from './terminals.repository';
export * from './api-keys.repository';
export * from './channel-credentials.reader';
export * from './tenancy.module';
export * from './channel-directory';
