import { Module } from '@nestjs/common';
import { AccountsModule } from '@malipo/payments';
import { AccountMoneyController } from './account-money.controller';
import { AccountsController } from './accounts.controller';

/** Customer accounts and their ledger (issue 17). */
@Module({
  imports: [AccountsModule],
  controllers: [AccountsController, AccountMoneyController],
})
export class AccountsApiModule {}
