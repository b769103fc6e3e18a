import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuditLog, runAsActor, type Actor } from '@malipo/audit';
import { from, Observable, switchMap } from 'rxjs';
import { requestedTenantOf, type AuthenticatedRequest } from './current-principal.decorator';
import { OWN_OPS_READ_KEY } from './ops-read.decorator';
import { tenantOf } from './principal';
import { requestActor } from './request-actor';

/**
 * Makes the request's actor the actor of every change the handler makes (libs/audit actor.ts),
 * and records every read an operator makes of a shop's data (`ops.read`, in that shop's chain)
 * before it is answered. The handler is subscribed to inside the actor's context, so the
 * context follows it through every await.
 */
@Injectable()
export class ActorInterceptor implements NestInterceptor {
  constructor(
    private readonly audit: AuditLog,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const actor = requestActor(request);
    const recordsOwn = this.reflector.getAllAndOverride<boolean | undefined>(OWN_OPS_READ_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    return new Observable((subscriber) =>
      runAsActor(actor, () => {
        const opsRead = recordsOwn ? Promise.resolve() : this.recordOpsRead(request, actor);
        const subscription = from(opsRead)
          .pipe(switchMap(() => next.handle()))
          .subscribe(subscriber);
        return () => subscription.unsubscribe();
      }),
    );
  }

  /** The route's pattern only: a query string may hold a phone number. */
  private async recordOpsRead(request: AuthenticatedRequest, actor: Actor): Promise<void> {
    const named = requestedTenantOf(request);
    if (request.method !== 'GET' || request.principal?.role !== 'ops' || !named) return;
    const shopId = tenantOf(request.principal, named);
    await this.audit.appendAlone(
      shopId,
      { action: 'ops.read', subject: { route: request.routeOptions.url ?? '' }, data: {} },
      actor,
    );
  }
}
