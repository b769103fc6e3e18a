import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuditLog, runAsActor, type Actor } from '@malipo/audit';
import { concatMap, Observable } from 'rxjs';
import { requestedTenantOf, type AuthenticatedRequest } from './current-principal.decorator';
import { OWN_OPS_READ_KEY } from './ops-read.decorator';
import { tenantOf } from './principal';
import { requestActor } from './request-actor';

/**
 * Makes the request's actor the actor of every change the handler makes (libs/audit actor.ts),
 * and records every read an operator makes of a shop's data (`ops.read`, in that shop's chain)
 * once the handler has it and before it is answered: a read that fails (404, 400) disclosed
 * nothing and records nothing, and a read whose entry cannot be written is not answered. The
 * handler is subscribed to inside the actor's context, so the context follows it through every
 * await.
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
        const subscription = next
          .handle()
          .pipe(
            concatMap(async (answer: unknown) => {
              if (!recordsOwn) await this.recordOpsRead(request, actor);
              return answer;
            }),
          )
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
    const record = {
      action: 'ops.read',
      subject: { route: request.routeOptions.url ?? '' },
      data: {},
    };
    // No such shop: nothing of a shop's was read, and there is no chain to extend.
    await this.audit.db.transaction((tx) => this.audit.appendToExisting(tx, shopId, record, actor));
  }
}
