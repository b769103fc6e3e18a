export const QUEUES = {
  callbacks: 'callbacks',
  reconcile: 'reconcile',
  webhooks: 'webhooks',
  /** Results, queue timeouts and C2B confirmations stored in daraja_inbox. */
  darajaInbox: 'daraja-inbox',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
