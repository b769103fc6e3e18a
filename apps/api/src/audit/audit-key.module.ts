import { Module } from '@nestjs/common';
import { AuditKeysModule } from '@malipo/audit';
import { AuditKeyController } from './audit-key.controller';

@Module({ imports: [AuditKeysModule], controllers: [AuditKeyController] })
export class AuditKeyApiModule {}
