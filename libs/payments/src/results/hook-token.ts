import { createHmac, timingSafeEqual } from 'node:crypto';
import { asTenantId, type TenantId } from '@malipo/common';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAC_HEX_CHARS = 32;

/** What a hook URL names: a result-API request, or a channel for C2B. */
export type HookPurpose = 'result' | 'c2b';

export interface HookTarget {
  tenantId: TenantId;
  subjectId: string;
}

/**
 * The secret in result, queue-timeout and C2B URLs, built like the STK callback token
 * (`<tenantId>.<subjectId>.<hmac>`) with the purpose inside the MAC, so a result token can never
 * be replayed as a C2B one or as an STK callback token.
 */
export class HookToken {
  constructor(private readonly secret: string) {}

  private mac(purpose: HookPurpose, tenantId: string, subjectId: string): string {
    return createHmac('sha256', this.secret)
      .update(`${purpose}:${tenantId}:${subjectId}`)
      .digest('hex')
      .slice(0, MAC_HEX_CHARS);
  }

  issue(purpose: HookPurpose, target: HookTarget): string {
    const { tenantId, subjectId } = target;
    return `${tenantId}.${subjectId}.${this.mac(purpose, tenantId, subjectId)}`;
  }

  verify(purpose: HookPurpose, token: string): HookTarget | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const [tenantId, subjectId, mac] = parts;
    if (!UUID.test(tenantId) || !UUID.test(subjectId) || mac.length !== MAC_HEX_CHARS) {
      return undefined;
    }
    const expected = Buffer.from(this.mac(purpose, tenantId, subjectId));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    return { tenantId: asTenantId(tenantId), subjectId };
  }
}

/** The hook paths; no word Daraja bans in a URL (REFERENCE §2.4). */
export const HOOK_PATHS = {
  result: 'v1/hooks/result',
  timeout: 'v1/hooks/timeout',
  c2bConfirmation: 'v1/hooks/c2b/confirmation',
  c2bValidation: 'v1/hooks/c2b/validation',
} as const;

export function hookUrl(base: string, path: string, token: string): string {
  return `${base.replace(/\/+$/, '')}/${path}/${token}`;
}
