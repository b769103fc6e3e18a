/**
 * Values that let `npm start` run on a fresh clone with no configuration. The secrets are public
 * development values: production refuses to start with them (see validateConfig).
 */
export const DEV_DEFAULTS: Record<string, string> = {
  NODE_ENV: 'development',
  DARAJA_MODE: 'simulator',
  CREDENTIALS_KEY: 'dev-only-credentials-key-change-me-0000',
  CALLBACK_SECRET: 'dev-only-callback-secret-change-me-00000',
  LOG_PRETTY: 'true',
  // The app's role of migration 0008: audit rows can be added and read, never changed.
  DB_APP_ROLE: 'malipo_app',
};

/** Fills unset variables with development defaults, unless running in production. */
export function applyDevDefaults(env: NodeJS.ProcessEnv): void {
  if (env.NODE_ENV === 'production') return;
  for (const [key, value] of Object.entries(DEV_DEFAULTS)) env[key] ??= value;
}
