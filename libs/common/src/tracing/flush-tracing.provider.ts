import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { flushTracing } from './tracing';

/** An app that closes sends its last spans first (the batch would otherwise die with it). */
@Injectable()
export class FlushTracingOnShutdown implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await flushTracing().catch(() => undefined);
  }
}
