// Registers tsconfig.json's path aliases (@app/domain, ...) for a script run with ts-node, whatever its own
// arguments (tsconfig-paths/register would read a `--project` argument as the tsconfig's folder).
import { register } from 'tsconfig-paths';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain CommonJS helper shared with jest.config.js
const { tsconfigPaths } = require('./path-aliases') as {
  tsconfigPaths: () => { baseUrl: string; paths: Record<string, string[]> };
};

register(tsconfigPaths());
