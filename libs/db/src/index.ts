export * from './db.types';
export * from './db.module';
export * from './migrate';
export * as schema from './schema';
export * from './tenancy';
