import { Module } from '@nestjs/common';
import { ResultsCoreModule } from '@malipo/payments';
import { DarajaHooksController } from './daraja-hooks.controller';
import { ReversalsController } from './reversals.controller';
import { VerifyController } from './verify.controller';
import { C2bRegisterController } from './c2b-register.controller';
import { IncomingPaymentsController } from './incoming-payments.controller';

/** Reversals, verify-now and C2B incoming payments, with the hooks Daraja posts their results to. */
@Module({
  imports: [ResultsCoreModule],
  controllers: [
    DarajaHooksController,
    ReversalsController,
    VerifyController,
    C2bRegisterController,
    IncomingPaymentsController,
  ],
})
export class AfterPromptModule {}
