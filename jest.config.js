/** @type {import('jest').Config} */
const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)s$': ['@swc/jest'] },
  moduleNameMapper: {
    '^@app/domain(|/.*)$': '<rootDir>/libs/domain/src$1',
    '^@app/database(|/.*)$': '<rootDir>/libs/database/src$1',
    '^@app/client(|/.*)$': '<rootDir>/libs/client/src$1',
  },
};

/**
 * unit: fast tests of pure code, beside the code (`*.spec.ts` in apps/ and libs/).
 * http: the real application over HTTP against a real PostgreSQL (test/), one database per test file,
 *       cloned from a migrated template that the global setup prepares.
 */
module.exports = {
  testTimeout: 60_000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'http',
      testMatch: ['<rootDir>/test/**/*.spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
