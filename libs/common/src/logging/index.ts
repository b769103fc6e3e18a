export * from './mask';
export * from './logger-options';
export * from './logging.module';
