import { Injectable } from '@nestjs/common';
import { SecretBox } from '@malipo/common';
import type { WebhookEndpointRow } from './webhook-endpoints.repository';
import { generateWebhookSecret } from './webhook-signature';

/** Signing secrets, sealed at rest with the SecretBox; plain text only in memory. */
@Injectable()
export class WebhookSecrets {
  constructor(private readonly box: SecretBox) {}

  create(): { secret: string; sealed: string } {
    const secret = generateWebhookSecret();
    return { secret, sealed: this.box.seal(secret).sealed };
  }

  /** The secrets a delivery is signed with now: the current one, and the previous during overlap. */
  signingSecrets(endpoint: WebhookEndpointRow, now: Date): string[] {
    const secrets = [this.box.open<string>(endpoint.secretSealed)];
    if (
      endpoint.previousSecretSealed &&
      endpoint.previousSecretExpiresAt &&
      endpoint.previousSecretExpiresAt.getTime() > now.getTime()
    ) {
      secrets.push(this.box.open<string>(endpoint.previousSecretSealed));
    }
    return secrets;
  }
}
