import { Module } from '@nestjs/common';
import { AppConfig, SecretBox } from '@malipo/common';
import { ApiKeysRepository } from './api-keys.repository';
import { ChannelCredentialsReader } from './channel-credentials.reader';
import { ChannelsRepository } from './channels.repository';
import { ChannelDirectory } from './channel-directory';
import { TenantsRepository } from './tenants.repository';
import { TerminalsRepository } from './terminals.repository';

const providers = [
  TenantsRepository,
  ChannelsRepository,
  TerminalsRepository,
  ApiKeysRepository,
  ChannelCredentialsReader,
  ChannelDirectory,
  {
    provide: SecretBox,
    inject: [AppConfig],
    useFactory: (c: AppConfig) => SecretBox.fromConfig(c),
  },
];

/** Tenancy repositories, the SecretBox and the credentials reader; needs DbModule and AppConfig. */
@Module({ providers, exports: providers })
export class TenancyModule {}
