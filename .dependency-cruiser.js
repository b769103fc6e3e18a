// Layer rules from STYLE.md: the payment domain is plain TypeScript; libs never import apps.
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment:
        'libs/payments/src/domain imports only itself and the plain error classes (no framework, no I/O).',
      severity: 'error',
      from: { path: '^libs/payments/src/domain' },
      to: {
        pathNot: [
          '^libs/payments/src/domain',
          '^libs/common/src/errors/(app-error|error-status|index)[.]ts$',
        ],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'services-reach-storage-through-repositories',
      comment:
        'libs/payments application services (application/, callbacks/, reconciliation/) reach PostgreSQL and Redis only through *.repository.ts classes; modules may wire clients.',
      severity: 'error',
      from: {
        path: '^libs/payments/src/(application|callbacks|reconciliation)/',
        pathNot: '[.](repository|module)[.]ts$',
      },
      to: { path: '(^|/)node_modules/(pg|ioredis|drizzle-orm)/' },
    },
    {
      name: 'libs-never-import-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'apps-do-not-import-each-other',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true, dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(\\.spec\\.ts|-spec\\.ts)$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
