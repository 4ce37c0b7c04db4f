import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, ingest } from '@bronze/core';
import { describe, expect, it } from 'vitest';
import toggl from '../src/index.js';

const PACKAGE_DIR = join(import.meta.dirname, '..');
const TSX_LOADER = join(PACKAGE_DIR, '../../node_modules/tsx/dist/loader.mjs');

describe('--file given to toggl', () => {
  it('says first that the source reads its API, not files, even without a token', async () => {
    const err = await ingest(undefined, toggl, { env: {}, files: ['/nowhere/entries.json'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toBe("source 'toggl' does not import files; it reads its API");
  });

  it('the CLI exits 2 with that message, not the missing-token one', () => {
    const home = mkdtempSync(join(tmpdir(), 'bronze-toggl-file-'));
    try {
      const file = join(home, 'entries.json');
      writeFileSync(file, '[]');
      const r = spawnSync(process.execPath, ['--conditions=source', '--import', TSX_LOADER, '../../apps/runner/src/cli.ts', 'ingest', 'toggl', '--file', file], {
        cwd: PACKAGE_DIR,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, BRONZE_HOME: home },
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toContain("source 'toggl' does not import files; it reads its API");
      expect(r.stderr).not.toMatch(/TOGGL_API_TOKEN/);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
