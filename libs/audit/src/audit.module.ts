import { Global, Module } from '@nestjs/common';
import { AuditLog } from './audit-log';
import { AuditRepository } from './audit.repository';
import { AuditVerifier } from './audit-verifier.service';
import { AuditCheckpointsRepository } from './audit-checkpoints.repository';
import { AuditKeysModule } from './audit-keys.module';

/** The audit log's writer, reader and verifier, for every module that changes or shows data. */
@Global()
@Module({
  imports: [AuditKeysModule],
  providers: [AuditLog, AuditRepository, AuditVerifier, AuditCheckpointsRepository],
  exports: [AuditLog, AuditRepository, AuditVerifier, AuditCheckpointsRepository, AuditKeysModule],
})
export class AuditModule {}
