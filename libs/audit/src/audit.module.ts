import { Global, Module } from '@nestjs/common';
import { AuditLog } from './audit-log';
import { AuditRepository } from './audit.repository';
import { AuditVerifier } from './audit-verifier.service';

/** The audit log's writer, reader and verifier, for every module that changes or shows data. */
@Global()
@Module({
  providers: [AuditLog, AuditRepository, AuditVerifier],
  exports: [AuditLog, AuditRepository, AuditVerifier],
})
export class AuditModule {}
