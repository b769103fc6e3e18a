export * from './queue-names';
export * from './redis.module';
export * from './queue.module';
export * from './job-payloads';
export * from './queue-telemetry';
