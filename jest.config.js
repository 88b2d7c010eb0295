const { jestModuleNameMapper, swcOptions } = require('./scripts/path-aliases');

/** @type {import('jest').Config} */
const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  // The path aliases of tsconfig.json (their one definition): SWC rewrites them in every file it compiles (the
  // global setup included, which Jest loads without its resolver); the mapper covers jest.mock('@app/...') strings.
  transform: { '^.+\\.(t|j)s$': ['@swc/jest', swcOptions()] },
  moduleNameMapper: jestModuleNameMapper(__dirname),
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
