export * from '@malipo/realtime-protocol';
export * from './rooms';
export * from './committed-message';
export * from './realtime-redis';
export * from './realtime.publisher';
export * from './realtime-publisher.module';
