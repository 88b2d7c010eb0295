// Removes the given folders (a stale compiled migration must never run).
const { rmSync } = require('node:fs');
for (const dir of process.argv.slice(2)) rmSync(dir, { recursive: true, force: true });
