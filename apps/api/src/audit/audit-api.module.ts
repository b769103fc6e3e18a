import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';

/** GET /v1/audit, /v1/audit/verify, /v1/audit/export (AuditModule is global). */
@Module({ controllers: [AuditController] })
export class AuditApiModule {}
