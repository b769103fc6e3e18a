import { Module } from '@nestjs/common';
import { PaymentsCoreModule } from '@malipo/payments';
import { RealtimePublisher } from './realtime.publisher';

/** Import in every process that applies payment changes (api and worker). */
@Module({
  imports: [PaymentsCoreModule],
  providers: [RealtimePublisher],
  exports: [RealtimePublisher],
})
export class RealtimePublisherModule {}
