import {
  ConfigError,
  DEV_AUDIT_SIGNING_KEY,
  auditSigningKeyText,
  auditVerifyKeyTexts,
  validateConfig,
} from './validate-config';

const SECRETS = {
  CREDENTIALS_KEY: 'k'.repeat(32),
  CALLBACK_SECRET: 's'.repeat(32),
};

describe(validateConfig.name, () => {
  it('applies the documented defaults', () => {
    const sut = validateConfig({ ...SECRETS });
    expect(sut).toMatchObject({
      PORT: 3000,
      SIM_PORT: 3100,
      WORKER_PORT: 3200,
      NODE_ENV: 'development',
    });
  });

  it('converts numeric and boolean strings', () => {
    const sut = validateConfig({ ...SECRETS, PORT: '4100', LOG_PRETTY: 'true' });
    expect(sut.PORT).toBe(4100);
    expect(sut.LOG_PRETTY).toBe(true);
  });

  it.each([
    [{ DATABASE_URL: 'mysql://x/y' }, 'DATABASE_URL'],
    [{ PORT: 'eighty' }, 'PORT'],
    [{ CREDENTIALS_KEY: 'short' }, 'CREDENTIALS_KEY'],
    [{ REDIS_URL: 'not a url' }, 'REDIS_URL'],
  ])('names the offending variable (%j)', (override, name) => {
    expect(() => validateConfig({ ...SECRETS, ...override })).toThrow(new RegExp(name));
  });

  it('requires the secrets', () => {
    expect(() => validateConfig({})).toThrow(ConfigError);
    expect(() => validateConfig({})).toThrow(/CALLBACK_SECRET/);
  });

  it('refuses development secrets and the simulator in production', () => {
    const dev = {
      CREDENTIALS_KEY: 'dev-only-credentials-key-change-me-0000',
      CALLBACK_SECRET: 's'.repeat(32),
      DARAJA_MODE: 'production',
      NODE_ENV: 'production',
    };
    expect(() => validateConfig(dev)).toThrow(/development values/);
    expect(() => validateConfig({ ...SECRETS, NODE_ENV: 'production' })).toThrow(/simulator/);
  });
});

describe('audit signing keys', () => {
  const PRODUCTION = {
    ...SECRETS,
    NODE_ENV: 'production',
    DARAJA_MODE: 'production',
  };
  const OWN_KEY = Buffer.alloc(32, 9).toString('base64');

  it('signs with the public development key when none is set outside production', () => {
    const sut = validateConfig({ ...SECRETS });
    expect(sut.AUDIT_SIGNING_KEY).toBeUndefined();
    expect(auditSigningKeyText(sut)).toBe(DEV_AUDIT_SIGNING_KEY);
    expect(auditSigningKeyText(validateConfig({ ...SECRETS, AUDIT_SIGNING_KEY: OWN_KEY }))).toBe(
      OWN_KEY,
    );
  });

  it('requires a key of its own in production', () => {
    expect(() => validateConfig(PRODUCTION)).toThrow(/AUDIT_SIGNING_KEY must be set/);
    expect(() =>
      validateConfig({ ...PRODUCTION, AUDIT_SIGNING_KEY: DEV_AUDIT_SIGNING_KEY }),
    ).toThrow(/AUDIT_SIGNING_KEY must be set/);
    expect(() => validateConfig({ ...PRODUCTION, AUDIT_SIGNING_KEY: OWN_KEY })).not.toThrow();
  });

  it('refuses at boot a key it cannot read, naming the variable but not the value', () => {
    const bad = 'c2hvcnQ=';
    expect(() => validateConfig({ ...SECRETS, AUDIT_SIGNING_KEY: bad })).toThrow(
      /AUDIT_SIGNING_KEY: expected a PKCS#8 PEM/,
    );
    expect(() => validateConfig({ ...SECRETS, AUDIT_SIGNING_KEY: bad })).not.toThrow(/c2hvcnQ/);
    expect(() => validateConfig({ ...SECRETS, AUDIT_VERIFY_KEYS: `${OWN_KEY},${bad}` })).toThrow(
      /AUDIT_VERIFY_KEYS/,
    );
  });

  it('splits the older public keys on commas, ignoring blanks', () => {
    const sut = validateConfig({ ...SECRETS, AUDIT_VERIFY_KEYS: ` ${OWN_KEY} ,, ${OWN_KEY}` });
    expect(auditVerifyKeyTexts(sut)).toEqual([OWN_KEY, OWN_KEY]);
    expect(auditVerifyKeyTexts(validateConfig({ ...SECRETS }))).toEqual([]);
  });
});

describe('DB_APP_ROLE', () => {
  it('is unset by default and when empty, kept when a role name', () => {
    expect(validateConfig({ ...SECRETS }).DB_APP_ROLE).toBeUndefined();
    expect(validateConfig({ ...SECRETS, DB_APP_ROLE: '' }).DB_APP_ROLE).toBeUndefined();
    expect(validateConfig({ ...SECRETS, DB_APP_ROLE: 'malipo_app' }).DB_APP_ROLE).toBe(
      'malipo_app',
    );
  });

  it.each(['Malipo', 'malipo app', 'malipo_app; reset role', '1role', 'r'.repeat(64)])(
    'refuses %j at boot',
    (role) => {
      expect(() => validateConfig({ ...SECRETS, DB_APP_ROLE: role })).toThrow(/DB_APP_ROLE/);
    },
  );
});

describe('boolean settings', () => {
  it('reads "false" as false for every boolean setting', () => {
    const sut = validateConfig({
      ...SECRETS,
      LOG_PRETTY: 'false',
      CALLBACK_IP_ENFORCE: 'false',
      RECONCILE_ENABLED: 'false',
    });
    expect([sut.LOG_PRETTY, sut.CALLBACK_IP_ENFORCE, sut.RECONCILE_ENABLED]).toEqual([
      false,
      false,
      false,
    ]);
    expect(validateConfig({ ...SECRETS, RECONCILE_ENABLED: 'true' }).RECONCILE_ENABLED).toBe(true);
  });
});
