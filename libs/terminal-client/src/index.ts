export * from './terminal-client';
export * from './countdown';
export type {
  PaymentUpdated,
  PaymentView,
  RefusalData,
  Resumed,
  ResyncRequired,
} from '@malipo/realtime-protocol';
