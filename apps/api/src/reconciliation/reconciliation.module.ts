import { Module } from '@nestjs/common';
import { TenancyModule } from '@malipo/db';
import { ReconcileCoreModule } from '@malipo/payments';
import { DiscrepanciesController } from './discrepancies.controller';
import { PaymentsExportController } from './payments-export.controller';
import { ReconciliationRunsController } from './reconciliation-runs.controller';
import { ReportsController } from './reports.controller';

/** Reconciliation for people: reports, runs, discrepancies, CSV export. */
@Module({
  imports: [ReconcileCoreModule, TenancyModule],
  controllers: [
    PaymentsExportController,
    ReportsController,
    DiscrepanciesController,
    ReconciliationRunsController,
  ],
})
export class ReconciliationModule {}
