// One jest run covers every tier: domain unit tests (libs), API and worker tests on a real
// PostgreSQL database created per test file, and end-to-end journeys under test/.
/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
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
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  testTimeout: 60000,
  maxWorkers: 2,
};
