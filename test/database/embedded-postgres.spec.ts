import { DataDirInUseError, EmbeddedPostgresServer } from '@app/database';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('embedded PostgreSQL server', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'entitlements-embedded-'));
    chmodSync(dir, 0o755);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps its data across restarts, and refuses a second server on the same DATA_DIR', async () => {
    const first = new EmbeddedPostgresServer({ dataDir: dir });
    await first.start();
    try {
      await query(first.url(), "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");

      const second = new EmbeddedPostgresServer({ dataDir: dir });
      await expect(second.start()).rejects.toBeInstanceOf(DataDirInUseError);
      await expect(new EmbeddedPostgresServer({ dataDir: dir }).start()).rejects.toThrow(
        /is in use by another running instance/,
      );
      // The first server is unharmed by the refused attempts.
      expect(await query(first.url(), 'SELECT v FROM kept')).toEqual([{ v: 'still here' }]);
    } finally {
      await first.stop();
    }

    const again = new EmbeddedPostgresServer({ dataDir: dir });
    await again.start();
    try {
      expect(await query(again.url(), 'SELECT v FROM kept')).toEqual([{ v: 'still here' }]);
    } finally {
      await again.stop();
    }
  });
});
