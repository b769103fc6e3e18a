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
      name: 'realtime-protocol-is-browser-safe',
      comment:
        'libs/realtime-protocol is bundled into the console and POS clients: at run time it imports only itself (no Nest, Redis or Node built-ins).',
      severity: 'error',
      from: { path: '^libs/realtime-protocol/' },
      to: {
        dependencyTypesNot: ['type-only'],
        pathNot: '^libs/realtime-protocol/',
      },
    },
    {
      name: 'realtime-protocol-types-stay-framework-free',
      comment: 'Even its type-only imports avoid Nest, ioredis, socket.io and database packages.',
      severity: 'error',
      from: { path: '^libs/realtime-protocol/' },
      to: {
        path: [
          '(^|/)node_modules/(@nestjs|ioredis|bullmq|pg|drizzle-orm|socket[.]io|@socket[.]io)/',
        ],
      },
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
