// Compiles apps/ and libs/ (not the *.spec.ts files) to dist/, or to the folder given, with the SWC CLI:
// the options of .swcrc plus the path aliases of tsconfig.json (their one definition, see path-aliases.js),
// written to a temporary config file for this run. The output folder is emptied first (a stale compiled
// migration must never run).
//   node scripts/build.js [outDir]
const { execFileSync } = require('node:child_process');
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, resolve } = require('node:path');
const { root, swcOptions } = require('./path-aliases');

const outDir = resolve(root, process.argv[2] ?? 'dist');

const tmp = mkdtempSync(join(tmpdir(), 'swc-build-'));
try {
  const configFile = join(tmp, 'swcrc.json');
  const { swcrc: _, ...options } = swcOptions(); // a config file has no `swcrc` key
  writeFileSync(configFile, JSON.stringify(options));
  rmSync(outDir, { recursive: true, force: true });
  const cli = require.resolve('@swc/cli/bin/swc.js');
  execFileSync(
    process.execPath,
    [cli, 'apps', 'libs', '-d', outDir, '--config-file', configFile, '--ignore', '**/*.spec.ts', '--quiet'],
    { cwd: root, stdio: 'inherit' },
  );
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
