import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TenancyModule } from '@malipo/db';
import { ApiKeyAuthenticator } from './api-key.authenticator';
import { ApiKeyGuard } from './api-key.guard';
import { AuthFailureLimiter } from './auth-failure.limiter';

/** API key authentication for every HTTP route (see ApiKeyGuard). */
@Module({
  imports: [TenancyModule],
  providers: [
    ApiKeyAuthenticator,
    AuthFailureLimiter,
    { provide: APP_GUARD, useClass: ApiKeyGuard },
  ],
  exports: [ApiKeyAuthenticator],
})
export class AuthModule {}
