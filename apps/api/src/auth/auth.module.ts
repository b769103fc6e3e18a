import { Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { TenancyModule } from '@malipo/db';
import { ApiKeyAuthenticator } from './api-key.authenticator';
import { ActorInterceptor } from './actor.interceptor';
import { ApiKeyGuard } from './api-key.guard';
import { AuthFailureLimiter } from './auth-failure.limiter';
import { ConsoleSessionStore } from './console-session.store';
import { SessionAuthenticator } from './session-authenticator';
import { SessionAudit } from './session-audit';
import { SessionController } from './session.controller';

/** API key or console session authentication for every HTTP route (see ApiKeyGuard). */
@Module({
  imports: [TenancyModule],
  controllers: [SessionController],
  providers: [
    ApiKeyAuthenticator,
    AuthFailureLimiter,
    ConsoleSessionStore,
    SessionAuthenticator,
    SessionAudit,
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_INTERCEPTOR, useClass: ActorInterceptor },
  ],
  exports: [ApiKeyAuthenticator, ConsoleSessionStore, SessionAuthenticator],
})
export class AuthModule {}
