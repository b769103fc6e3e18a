export * from './db.types';
export * from './db.module';
export * from './migrate';
export * from './pg-pool';
export * from './scratch-database';
export * as schema from './schema';
export * from './tenancy';
export * from './pg-errors';
export * from './prepared';
