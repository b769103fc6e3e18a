export * from './terminal-client';
export * from './countdown';
export type {
  IncomingPaymentNotice,
  PaymentUpdated,
  PaymentView,
  RefusalData,
  Resumed,
  ResyncRequired,
} from '@malipo/realtime-protocol';
