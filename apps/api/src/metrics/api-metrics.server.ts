import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { AppConfig, startMetricsServer, type MetricsServer } from '@malipo/common';

/**
 * The api's Prometheus endpoint on METRICS_PORT, apart from the public port (where `/metrics`
 * is a 404). It closes with the app, after the public listener.
 */
@Injectable()
export class ApiMetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ApiMetricsServer.name);
  private server: MetricsServer | undefined;

  constructor(private readonly config: AppConfig) {}

  /** The port it listens on; tests ask for 0 and read the one picked. */
  get port(): number | undefined {
    return this.server?.port;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.server = await startMetricsServer(this.config.HOST, this.config.METRICS_PORT);
    this.logger.log(`metrics on http://${this.config.HOST}:${this.server.port}/metrics`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server?.close();
    this.server = undefined;
  }
}
