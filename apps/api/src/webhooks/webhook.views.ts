import type { WebhookAttemptRow, WebhookDeliveryRow, WebhookEndpointRow } from '@malipo/webhooks';

/** An endpoint as the owner sees it: never a secret (that is shown once, at creation/rotation). */
export function endpointView(e: WebhookEndpointRow) {
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    eventTypes: e.eventTypes,
    enabled: e.enabled,
    disabledReason: e.disabledReason,
    disabledAt: e.disabledAt?.toISOString() ?? null,
    failingSince: e.failingSince?.toISOString() ?? null,
    lastSuccessAt: e.lastSuccessAt?.toISOString() ?? null,
    previousSecretExpiresAt:
      e.previousSecretExpiresAt && e.previousSecretExpiresAt > new Date()
        ? e.previousSecretExpiresAt.toISOString()
        : null,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  };
}

export function deliveryView(d: WebhookDeliveryRow, attempts: WebhookAttemptRow[] = []) {
  return {
    id: d.id,
    endpointId: d.endpointId,
    eventId: d.eventId,
    eventType: d.eventType,
    state: d.state,
    attempts: d.attempts,
    redeliveryOf: d.redeliveryOf,
    nextAttemptAt: d.state === 'pending' ? d.nextAttemptAt.toISOString() : null,
    lastStatusCode: d.lastStatusCode,
    lastError: d.lastError,
    createdAt: d.createdAt.toISOString(),
    completedAt: d.completedAt?.toISOString() ?? null,
    log: attempts.map((a) => ({
      number: a.number,
      at: a.at.toISOString(),
      statusCode: a.statusCode,
      latencyMs: a.latencyMs,
      success: a.success,
      responseBody: a.responseBody,
      error: a.error,
    })),
  };
}
