import { Module } from '@nestjs/common';
import { AppConfig, auditSigningKeyText, auditVerifyKeyTexts } from '@malipo/common';
import { AuditKeyring } from './audit-keyring';

const keyring = {
  provide: AuditKeyring,
  inject: [AppConfig],
  useFactory: (config: AppConfig) =>
    new AuditKeyring(auditSigningKeyText(config), auditVerifyKeyTexts(config)),
};

/** The audit checkpoint keys from configuration (validated at boot by validateConfig). */
@Module({ providers: [keyring], exports: [keyring] })
export class AuditKeysModule {}
