import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { describeEachEngine } from '@bronze/testkit';
import { openDatabase, SourceLockedError } from '../src/index.js';
import { acquireSourceLock, markAbandonedRuns, releaseSourceLock } from '../src/store/runs.js';
import { acquireDirectoryLock } from '../src/db/directory-lock.js';

describeEachEngine('runs', (db, engine) => {
  it('marks runs left running by a dead process as abandoned, and their files as interrupted', async () => {
    await db().withSession(async (s) => {
      const [{ id }] = await s.query<{ id: string }>(`INSERT INTO bronze_runs (source) VALUES ('crashy') RETURNING id`);
      await s.query(`INSERT INTO bronze_files (source, sha256, path, size, status, run_id) VALUES ('crashy', 'abc', '/x', 1, 'importing', $1)`, [id]);
      await acquireSourceLock(s, 'crashy');
      expect(await markAbandonedRuns(s, 'crashy')).toBe(1);
      await releaseSourceLock(s, 'crashy');
      const [run] = await s.query<{ status: string; error: string }>('SELECT status, error FROM bronze_runs WHERE id = $1', [id]);
      expect(run.status).toBe('abandoned');
      const [file] = await s.query<{ status: string }>(`SELECT status FROM bronze_files WHERE source = 'crashy'`);
      expect(file.status).toBe('interrupted');
    });
  });

  if (engine === 'postgres') {
    it('a second session cannot take a source lock that another holds', async () => {
      await db().withSession(async (a) => {
        await acquireSourceLock(a, 'locked_src');
        await db().withSession(async (b) => {
          await expect(acquireSourceLock(b, 'locked_src')).rejects.toBeInstanceOf(SourceLockedError);
          await acquireSourceLock(b, 'other_src');
          await releaseSourceLock(b, 'other_src');
        });
        await releaseSourceLock(a, 'locked_src');
      });
    });
  }
});

describe('embedded database directory lock', () => {
  it('refuses a second process while the holder lives, and takes over a dead holder’s lock', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bronze-lock-'));
    try {
      const lockPath = join(dir, 'db.lock');
      const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
      writeFileSync(lockPath, String(child.pid));
      expect(() => acquireDirectoryLock(lockPath, 'db')).toThrow(SourceLockedError);
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const lock = acquireDirectoryLock(lockPath, 'db');
      lock.release();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a second open of the same PGlite directory in another process fails with exit code 75', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bronze-lock-'));
    const db = await openDatabase({ dataDir: join(dir, 'db') });
    try {
      const code = `import('${new URL('../src/index.ts', import.meta.url).pathname}').then(async (c) => {
        try { await c.openDatabase({ dataDir: ${JSON.stringify(join(dir, 'db'))} }); process.exit(0) } catch (e) { console.error(e.message); process.exit(e.exitCode ?? 1) } })`;
      const child = spawn(process.execPath, ['--import', 'tsx', '-e', code], { cwd: new URL('..', import.meta.url).pathname });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const exit = await new Promise((r) => child.once('exit', r));
      expect(stderr).toMatch(/another bronze process \(pid \d+\) is using the embedded database/);
      expect(exit).toBe(75);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
