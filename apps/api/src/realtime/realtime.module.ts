import { Module } from '@nestjs/common';
import { PaymentsCoreModule } from '@malipo/payments';
import { RealtimePublisherModule } from '@malipo/realtime';
import { AuthModule } from '../auth';
import { EventReplay } from './event-replay';
import { KeyRevocationWatcher } from './key-revocation.watcher';
import { RealtimeHandshake } from './realtime.handshake';
import { SocketStreams } from './socket-streams';
import { TerminalsGateway } from './terminals.gateway';

/** Live payment status for tills: the /terminals gateway plus this process's publisher. */
@Module({
  imports: [AuthModule, PaymentsCoreModule, RealtimePublisherModule],
  providers: [
    TerminalsGateway,
    RealtimeHandshake,
    SocketStreams,
    EventReplay,
    KeyRevocationWatcher,
  ],
})
export class RealtimeModule {}
