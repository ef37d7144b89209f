// `storyline migrate` reports what it applied, and "Schema up to date" when there was nothing to do;
// `feeds add` refuses what is not a URL before opening any database or making any request.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMigrations } from '../../src/store/migrations.js';
import { runCli } from '../helpers/cli.js';
import { openTestDb, testBackends, type TestDb } from '../helpers/db.js';

for (const backend of testBackends()) {
  describe(`storyline migrate [${backend}]`, { timeout: 120_000 }, () => {
    let dir: string;
    let env: Record<string, string>;
    let handle: TestDb | null = null;
    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storyline-migrate-'));
      env = { DATA_DIR: path.join(dir, 'data') };
      if (backend === 'pg') {
        handle = await openTestDb('pg', { unmigrated: true });
        env = { ...env, ...handle.env };
      }
    });
    afterAll(async () => {
      await handle?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('applies every migration on an empty database, then says the schema is up to date', async () => {
      const first = await runCli(['migrate'], env);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout.trim()).toBe(
        `Applied ${readMigrations()
          .map((m) => m.name)
          .join(', ')}`,
      );
      const second = await runCli(['migrate'], env);
      expect(second.code, second.stderr).toBe(0);
      expect(second.stdout.trim()).toBe('Schema up to date');
    });
  });
}

describe('storyline feeds add', () => {
  it.each(['not-a-url', 'ftp://example.org/feed.xml', 'javascript:alert(1)', '/feed.xml'])(
    'refuses "%s" at once: exit 2, no database opened',
    async (url) => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'storyline-add-'));
      fs.rmSync(dataDir, { recursive: true });
      const run = await runCli(['feeds', 'add', url], { DATA_DIR: dataDir });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`storyline feeds add: feed URL "${url}" is not an absolute http(s) URL`);
      expect(fs.existsSync(dataDir)).toBe(false);
    },
  );
});
