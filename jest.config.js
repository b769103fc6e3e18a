// Three projects: unit (no I/O), integration (real PostgreSQL + Redis), e2e (booted apps over HTTP).
// One database per run is created by globalSetup and dropped by globalTeardown.
const { compilerOptions } = require('./tsconfig.json');

const moduleNameMapper = {};
for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
  const from = `^${alias.replace('/*', '/(.*)')}$`;
  moduleNameMapper[from] = `<rootDir>/${target.replace('/*', '/$1')}`;
}
// ESM-only dependency of @fastify/static (Swagger UI); see the file for why.
moduleNameMapper['^content-disposition$'] = '<rootDir>/test/support/content-disposition-cjs.js';

const base = {
  rootDir: __dirname,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  moduleNameMapper,
  setupFiles: ['<rootDir>/test/support/per-file-env.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  // Stryker's sandbox copies of the repo (npm run test:mutation) are not tests of this checkout.
  modulePathIgnorePatterns: ['<rootDir>/.stryker-tmp/'],
};

module.exports = {
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  maxWorkers: 2,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,test}/**/*.spec.ts'] },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,test}/**/*.int-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/timeout-30s.ts'],
    },
    {
      ...base,
      displayName: 'e2e',
      testMatch: ['<rootDir>/{apps,libs,test}/**/*.e2e-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/timeout-60s.ts'],
    },
  ],
};
