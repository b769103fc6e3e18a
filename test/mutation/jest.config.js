// The unit specs of the code under mutation (stryker.config.mjs), as in jest.config.js's unit
// project: no database, no Redis, no global setup.
const path = require('node:path');
const { compilerOptions } = require('../../tsconfig.json');

const rootDir = path.join(__dirname, '../..');
const moduleNameMapper = {};
for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
  moduleNameMapper[`^${alias.replace('/*', '/(.*)')}$`] =
    `<rootDir>/${target.replace('/*', '/$1')}`;
}

// See the file: fewer property cases, fixed seed.
moduleNameMapper['^fast-check$'] = '<rootDir>/test/mutation/fast-check-capped.js';

module.exports = {
  rootDir,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  moduleNameMapper,
  testMatch: [
    '<rootDir>/libs/payments/src/domain/**/*.spec.ts',
    '<rootDir>/libs/daraja/src/{stk,pulled,daraja-response,phone,result-envelope,c2b-confirmation}*.spec.ts',
    '<rootDir>/libs/payments/src/callbacks/callback-token.spec.ts',
    '<rootDir>/libs/webhooks/src/webhook-signature*.spec.ts',
  ],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};
