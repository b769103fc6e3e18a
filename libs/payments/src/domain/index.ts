export * from './payment-status';
export * from './payment-event';
export * from './payment';
export * from './payment.errors';
export * from './payment-state-machine';
export * from './money';
