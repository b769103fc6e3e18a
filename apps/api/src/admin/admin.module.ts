import { Module } from '@nestjs/common';
import { DarajaModule } from '@malipo/daraja';
import { TenancyModule } from '@malipo/db';
import { AuthModule } from '../auth/auth.module';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysService } from './api-keys.service';
import { ChannelsController } from './channels.controller';
import { ChannelSettingsController } from './channel-settings.controller';
import { ChannelSettingsService } from './channel-settings.service';
import { ChannelsService } from './channels.service';
import { TenantsController } from './tenants.controller';
import { TenantsService } from './tenants.service';
import { TerminalsController } from './terminals.controller';
import { TerminalsService } from './terminals.service';

/** Admin API for owners and ops: tenants, channels, terminals, keys. */
@Module({
  imports: [TenancyModule, AuthModule, DarajaModule],
  controllers: [
    TenantsController,
    ChannelsController,
    ChannelSettingsController,
    TerminalsController,
    ApiKeysController,
  ],
  providers: [
    TenantsService,
    ChannelsService,
    ChannelSettingsService,
    TerminalsService,
    ApiKeysService,
  ],
  exports: [ChannelsService, TenantsService, TenancyModule],
})
export class AdminModule {}
