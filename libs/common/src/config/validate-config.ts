import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError as CvError } from 'class-validator';
import { AppConfig } from './app-config';

/** Known development-only secrets; production refuses to start with them. */
export const DEV_ONLY_SECRETS = new Set([
  'dev-only-credentials-key-change-me-0000',
  'dev-only-callback-secret-change-me-00000',
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
  return config;
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
}

/** The validated process environment, for entry points that need it before Nest boots. */
export function loadConfig(): AppConfig {
  return validateConfig(process.env);
}
