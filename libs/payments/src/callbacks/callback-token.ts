import { createHmac, timingSafeEqual } from 'node:crypto';
import { asTenantId, type TenantId } from '@malipo/common';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAC_HEX_CHARS = 32;

export interface CallbackTarget {
  tenantId: TenantId;
  attemptId: string;
}

/**
 * The secret in each attempt's CallBackURL: `<tenantId>.<attemptId>.<hmac>`. It names the attempt
 * (so a callback that beats the push answer still finds it) and its tenant (so the endpoint can
 * store the callback without a lookup), and the HMAC proves we issued it. Only hex digits, dashes
 * and dots: none of the words Daraja rejects in a URL can appear.
 */
export class CallbackToken {
  constructor(private readonly secret: string) {}

  private mac(tenantId: string, attemptId: string): string {
    return createHmac('sha256', this.secret)
      .update(`stk-callback:${tenantId}:${attemptId}`)
      .digest('hex')
      .slice(0, MAC_HEX_CHARS);
  }

  issue(target: CallbackTarget): string {
    return `${target.tenantId}.${target.attemptId}.${this.mac(target.tenantId, target.attemptId)}`;
  }

  /** The attempt and tenant when the token is ours (constant-time compare); otherwise undefined. */
  verify(token: string): CallbackTarget | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const [tenantId, attemptId, mac] = parts;
    if (!UUID.test(tenantId) || !UUID.test(attemptId) || mac.length !== MAC_HEX_CHARS) {
      return undefined;
    }
    const expected = Buffer.from(this.mac(tenantId, attemptId));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    return { tenantId: asTenantId(tenantId), attemptId };
  }

  callbackUrl(publicBaseUrl: string, target: CallbackTarget): string {
    return `${publicBaseUrl.replace(/\/+$/, '')}/v1/hooks/stk/${this.issue(target)}`;
  }
}
