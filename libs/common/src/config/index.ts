export * from './app-config';
export * from './validate-config';
export * from './config.module';
