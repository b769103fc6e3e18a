import { Module } from '@nestjs/common';
import { PaymentsCoreModule } from '@malipo/payments';
import { PaymentsController } from './payments.controller';

@Module({ imports: [PaymentsCoreModule], controllers: [PaymentsController] })
export class PaymentsModule {}
