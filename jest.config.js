// The test tiers, one Jest project each (`jest --selectProjects <name>`); `jest` alone runs them all:
// - unit: domain rules, services and web logic, in process, nothing started (`npm run test:unit`);
// - integration: repositories, migrations, the queue and the storage drivers on real services
//   (a PostgreSQL database created per test file, Redis, an S3 server);
// - api: the apps end to end over HTTP, against real PostgreSQL, Redis, S3 and mail (`npm run test:api`);
// - browser: user journeys in Chromium (`npm run test:browser`).

/** Specs under apps/ and libs/ that need a real service: every other spec there is a unit test. */
const INTEGRATION_SPECS = [
  'libs/database/src/access-sql.spec.ts',
  'libs/database/src/migrations.spec.ts',
  'libs/database/src/prepared-statements.spec.ts',
  'libs/database/src/repositories/database.spec.ts',
  'libs/database/src/seeds/demo.seed.spec.ts',
  'libs/queue/src/queue.spec.ts',
  'libs/storage/src/storage-drivers.spec.ts',
];

/** What every tier compiles and loads the same way. */
const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  // Nest 12 ships ES modules only; Node 20 loads them through require(esm), which Jest's own
  // module loader does not, so Jest compiles them to CommonJS like our sources (content-disposition,
  // which @fastify/static loads, is one too).
  transform: {
    '^.+\\.ts$': ['@swc/jest'],
    '^.+\\.m?js$': ['@swc/jest', { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|content-disposition|openid-client|oauth4webapi|jose)/)'],
  moduleNameMapper: { '^@carnet/(.*)$': '<rootDir>/libs/$1/src' },
  setupFiles: ['<rootDir>/test/support/env.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  // Jest 30 reads the timeout per project as well as for the run: both, so neither drops to 5 s.
  testTimeout: 60000,
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
      testMatch: ['**/*.spec.ts'],
      testPathIgnorePatterns: [...shared.testPathIgnorePatterns, ...INTEGRATION_SPECS.map((spec) => `<rootDir>/${spec}`)],
    },
    {
      ...shared,
      displayName: 'integration',
      roots: ['<rootDir>/libs', '<rootDir>/apps'],
      testMatch: INTEGRATION_SPECS.map((spec) => `<rootDir>/${spec}`),
    },
    {
      ...shared,
      displayName: 'api',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.e2e.ts'],
      testPathIgnorePatterns: [...shared.testPathIgnorePatterns, '<rootDir>/test/browser/'],
    },
    {
      ...shared,
      displayName: 'browser',
      roots: ['<rootDir>/test/browser'],
      testMatch: ['**/*.e2e.ts'],
    },
  ],
  // For the whole run: Jest takes none of these from a project.
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  testTimeout: 60000,
  maxWorkers: 2,
};
