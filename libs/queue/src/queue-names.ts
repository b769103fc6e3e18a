export const QUEUES = {
  callbacks: 'callbacks',
  reconcile: 'reconcile',
  webhooks: 'webhooks',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
