import { Module } from '@nestjs/common';
import { PaymentsCoreModule } from '@malipo/payments';
import { PaymentInsightsController } from './payment-insights.controller';
import { PaymentsController } from './payments.controller';

@Module({
  imports: [PaymentsCoreModule],
  controllers: [PaymentsController, PaymentInsightsController],
})
export class PaymentsModule {}
