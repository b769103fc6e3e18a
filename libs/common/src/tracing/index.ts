export * from './tracing';
export * from './start-from-config';
export * from './flush-tracing.provider';
export * from './trace-id';
export * from './route-names';
