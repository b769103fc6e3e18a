import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError as CvError } from 'class-validator';
import { parseEd25519PrivateKey, parseEd25519PublicKey } from '../crypto/ed25519-keys';
import { AppConfig } from './app-config';

/**
 * The audit signing key (base64 seed) used when AUDIT_SIGNING_KEY is unset outside production, so
 * `npm start` and the tests sign checkpoints with no setup. Public on purpose: production refuses it.
 */
export const DEV_AUDIT_SIGNING_KEY = 'TNtK8P6Wh4l/xRVQDPKqLWyqUjZfPVgGaFfJ0LHli1s=';

/** Known development-only secrets; production refuses to start with them. */
export const DEV_ONLY_SECRETS = new Set([
  'dev-only-credentials-key-change-me-0000',
  'dev-only-callback-secret-change-me-00000',
  DEV_AUDIT_SIGNING_KEY,
]);

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Every boolean setting, found from the defaults so a new one cannot be forgotten here. */
const BOOLEAN_KEYS = Object.entries(new AppConfig())
  .filter(([, value]) => typeof value === 'boolean')
  .map(([key]) => key);

function describe(errors: CvError[]): string {
  return errors
    .map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join('; ') || 'invalid'}`)
    .join(', ');
}

/** Validates the environment once at boot; the message names every offending variable. */
export function validateConfig(env: Record<string, unknown>): AppConfig {
  const plain: Record<string, unknown> = { ...env };
  for (const key of BOOLEAN_KEYS) {
    if (typeof plain[key] === 'string') plain[key] = AppConfig.coerceBoolean({ value: plain[key] });
  }
  for (const [key, value] of Object.entries(plain)) if (value === '') delete plain[key];
  const config = plainToInstance(AppConfig, plain, { enableImplicitConversion: false });
  const errors = validateSync(config, { whitelist: false, forbidUnknownValues: false });
  if (errors.length) throw new ConfigError(`invalid configuration: ${describe(errors)}`);
  if (config.NODE_ENV === 'production') assertProductionSafe(config);
  assertAuditKeysReadable(config);
  return config;
}

/** The audit signing key in force: the configured one, or the development key outside production. */
export function auditSigningKeyText(config: Pick<AppConfig, 'AUDIT_SIGNING_KEY'>): string {
  return config.AUDIT_SIGNING_KEY ?? DEV_AUDIT_SIGNING_KEY;
}

/** The older public keys of AUDIT_VERIFY_KEYS, one text per key. */
export function auditVerifyKeyTexts(config: Pick<AppConfig, 'AUDIT_VERIFY_KEYS'>): string[] {
  return config.AUDIT_VERIFY_KEYS.split(',')
    .map((key) => key.trim())
    .filter(Boolean);
}

/** A key that cannot be read stops the boot, not the first checkpoint an hour later. */
function assertAuditKeysReadable(config: AppConfig): void {
  const check = (name: string, parse: () => unknown) => {
    try {
      parse();
    } catch (error) {
      throw new ConfigError(`invalid configuration: ${name}: ${(error as Error).message}`);
    }
  };
  check('AUDIT_SIGNING_KEY', () => parseEd25519PrivateKey(auditSigningKeyText(config)));
  for (const key of auditVerifyKeyTexts(config)) {
    check('AUDIT_VERIFY_KEYS', () => parseEd25519PublicKey(key));
  }
}

function assertProductionSafe(config: AppConfig): void {
  if (
    DEV_ONLY_SECRETS.has(config.CREDENTIALS_KEY) ||
    DEV_ONLY_SECRETS.has(config.CALLBACK_SECRET)
  ) {
    throw new ConfigError(
      'invalid configuration: CREDENTIALS_KEY/CALLBACK_SECRET use development values in production',
    );
  }
  if (config.DARAJA_MODE === 'simulator') {
    throw new ConfigError(
      'invalid configuration: DARAJA_MODE=simulator is not allowed in production',
    );
  }
  if (!config.AUDIT_SIGNING_KEY || DEV_ONLY_SECRETS.has(config.AUDIT_SIGNING_KEY.trim())) {
    throw new ConfigError(
      'invalid configuration: AUDIT_SIGNING_KEY must be set to a key of your own in production',
    );
  }
}

/** The validated process environment, for entry points that need it before Nest boots. */
export function loadConfig(): AppConfig {
  return validateConfig(process.env);
}
