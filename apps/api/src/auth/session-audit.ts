import { Injectable } from '@nestjs/common';
import { AuditLog, PLATFORM_CHAIN_ID } from '@malipo/audit';
import type { AuthenticatedRequest } from './current-principal.decorator';
import type { Principal } from './principal';
import { principalActor } from './request-actor';

/** The chain a session's sign-in and sign-out go to: its shop's, or the platform's for ops. */
const chainOf = (principal: Principal): string => principal.tenantId ?? PLATFORM_CHAIN_ID;

/**
 * Console sign-in and sign-out in the audit log (issue 18), each in a transaction of its own
 * (the session lives in Redis). Failed sign-ins are not recorded here: they are rate-limited and
 * logged, and an unknown key names no shop.
 */
@Injectable()
export class SessionAudit {
  constructor(private readonly audit: AuditLog) {}

  /** The request is public (no principal yet), so the actor is built from the key signed in with. */
  async signedIn(request: AuthenticatedRequest, principal: Principal): Promise<void> {
    const actor = principalActor(request, principal);
    await this.audit.appendAlone(
      chainOf(principal),
      { action: 'session.signed_in', subject: { keyId: principal.keyId }, data: {} },
      actor.kind === 'api_key' ? { ...actor, kind: 'session' } : actor,
    );
  }

  async signedOut(principal: Principal): Promise<void> {
    await this.audit.appendAlone(chainOf(principal), {
      action: 'session.signed_out',
      subject: { keyId: principal.keyId },
      data: {},
    });
  }
}
