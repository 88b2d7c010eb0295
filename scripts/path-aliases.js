// The path aliases (@app/domain, @app/database, @app/client) have one definition: tsconfig.json's
// compilerOptions.paths (with baseUrl). The type-checker, ESLint and ts-node (tsconfig-paths) read it there;
// jest.config.js (moduleNameMapper, and SWC's options for @swc/jest) and scripts/build.js (SWC) take it from here.
// tsconfig.json must stay plain JSON (no comments).
const { readFileSync } = require('node:fs');
const { resolve } = require('node:path');

const root = resolve(__dirname, '..');

/** tsconfig.json's paths, and its baseUrl as an absolute path. */
function tsconfigPaths() {
  const { compilerOptions = {} } = JSON.parse(readFileSync(resolve(root, 'tsconfig.json'), 'utf8'));
  return { baseUrl: resolve(root, compilerOptions.baseUrl ?? '.'), paths: compilerOptions.paths ?? {} };
}

/** The same aliases as Jest's moduleNameMapper: '@app/domain/*' -> '^@app/domain/(.*)$' -> '<rootDir>/libs/domain/src/$1'. */
function jestModuleNameMapper(rootDir = root) {
  const { baseUrl, paths } = tsconfigPaths();
  const prefix = baseUrl === rootDir ? '<rootDir>' : baseUrl;
  const escape = (s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  return Object.fromEntries(
    Object.entries(paths).map(([alias, targets]) => [
      `^${escape(alias).replace('*', '(.*)')}$`,
      targets.map((t) => `${prefix}/${t.replace(/^\.\//, '').replace('*', '$1')}`),
    ]),
  );
}

/**
 * .swcrc's options plus the aliases (jsc.baseUrl, absolute, and jsc.paths), for SWC to rewrite `@app/...` into
 * relative requires; `swcrc: false` so SWC does not merge .swcrc in a second time.
 */
function swcOptions() {
  const swcrc = JSON.parse(readFileSync(resolve(root, '.swcrc'), 'utf8'));
  delete swcrc.$schema;
  return { ...swcrc, swcrc: false, jsc: { ...swcrc.jsc, ...tsconfigPaths() } };
}

module.exports = { root, tsconfigPaths, jestModuleNameMapper, swcOptions };
