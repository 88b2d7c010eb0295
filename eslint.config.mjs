// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/*
 * Import boundaries: ESLint's own `no-restricted-imports` with `regex` patterns, no plugin.
 * Why this and not eslint-plugin-boundaries / import-x `no-restricted-paths`: the rules below are about how an
 * import is spelled (a package name, an @app alias, a relative path), which the core rule matches directly, with no
 * module resolver to configure for the tsconfig aliases, no extra dependency and no cost on lint time. The price:
 * relative paths are matched by their segments, not resolved, so a relative import that merely names a forbidden
 * folder (e.g. a `./offers` folder inside common/) is refused too; keep such names out of those folders.
 * Like every import rule of ESLint, it checks `import` and `export ... from`, not `require()`, `import()` or
 * `jest.mock()` strings.
 *
 * In flat config a later block's options for a rule replace the earlier ones, so each area below lists the
 * project-wide patterns as well as its own (`boundaries(...)`).
 */
const RELATIVE = String.raw`^\.{1,2}/(?:.*/)?`; // ./x, ../x, ../../a/x, ./../x ...
const EVERYWHERE = [
  {
    regex: String.raw`^@app/(?:domain|database|client)/`,
    message:
      "A deep import past the lib's index: import from '@app/domain', '@app/database' or '@app/client' (export what is needed from the lib's index.ts); inside a lib, import its own files relatively.",
  },
  {
    regex: String.raw`^(?:apps|libs|test|scripts)(?:/|$)`,
    message: "A path resolved through tsconfig's baseUrl: use '@app/<lib>' for a lib, a relative path within one.",
  },
  {
    regex: `${RELATIVE}libs(?:/|$)`,
    message: "A relative path into libs/: import the lib as '@app/<lib>'.",
  },
];
const FROM_APPS = {
  regex: `${RELATIVE}apps(?:/|$)`,
  message: 'The libs do not depend on the application (apps/).',
};
const boundaries = (...patterns) => ['error', { patterns: [...EVERYWHERE, ...patterns] }];

export default tseslint.config(
  {
    ignores: ['dist/**', 'dist-test/**', 'node_modules/**', 'coverage/**', '.data/**', 'libs/client/src/generated/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    // Type information from tsconfig.json (its `include` covers apps, libs, test and scripts).
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
  },
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        require: 'readonly',
        __dirname: 'readonly',
        module: 'writable',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      // Kept on, but static methods are passed as callbacks on purpose (ProjectDto.from, DomainError.invalidField).
      '@typescript-eslint/unbound-method': ['error', { ignoreStatic: true }],
      'no-restricted-imports': boundaries(),
    },
  },
  {
    // Tests read JSON bodies of many shapes; typing each one would add nothing.
    files: ['test/**/*.ts', '**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      // Same reason: ~540 hits of reading `any` response bodies (res.json().items[0].id), all noise.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Written by MikroORM's migration generator: `async up()` that only calls this.addSql().
    files: ['libs/database/src/migrations/**/*.ts'],
    rules: { '@typescript-eslint/require-await': 'off' },
  },
  {
    // Plain JS config and scripts are outside tsconfig.json: linted without type information
    // (after the blocks that set type-aware rules, so it turns them off).
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The domain is plain TypeScript: no framework, no ORM, no HTTP server, no database driver, no other lib.
    files: ['libs/domain/**'],
    rules: {
      'no-restricted-imports': boundaries(
        {
          regex: String.raw`^(?:@nestjs|@mikro-orm|@fastify)/`,
          message: 'libs/domain depends on no framework or ORM (@nestjs/*, @mikro-orm/*, @fastify/*).',
        },
        {
          regex: String.raw`^(?:fastify|pg|@app/database|@app/client)(?:/|$)`,
          message: 'libs/domain depends on no HTTP server, database driver, database lib or client lib.',
        },
        {
          regex: `${RELATIVE}(?:database|client)/src(?:/|$)`,
          message: 'libs/domain does not reach into libs/database or libs/client.',
        },
        FROM_APPS,
      ),
    },
  },
  {
    files: ['libs/database/**', 'libs/client/**'],
    rules: { 'no-restricted-imports': boundaries(FROM_APPS) },
  },
  {
    // Shared HTTP plumbing: the feature folders depend on it, never the other way round.
    files: ['apps/api/src/common/**'],
    rules: {
      'no-restricted-imports': boundaries({
        regex: `${RELATIVE}(?:crm-gateway|offers|entitlements|projects|motto)(?:/|$)`,
        message:
          'apps/api/src/common imports no feature folder (crm-gateway, offers, entitlements, projects, motto): move what is shared into common/.',
      }),
    },
  },
);
