import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tableSnapshot, testEngines } from '@bronze/testkit';
import { bigJsonl, bronze, project, waitFor, writeEnv } from './process-helpers.js';

const N = 60_000;

for (const engine of testEngines()) {
  describe(`bronze ingest as a process [${engine}]`, () => {
    it('SIGKILL mid-import, then a re-run, gives exactly the table of one uninterrupted run', async () => {
      const clean = await project(engine);
      const killed = await project(engine);
      try {
        const file = await bigJsonl(clean.root, N);
        const one = bronze(['ingest', 'manual', '--file', file, '--batch-size', '2000'], clean.env);
        expect(await one.exit, one.stderr()).toBe(0);

        const victim = bronze(['ingest', 'manual', '--file', file, '--batch-size', '2000'], { ...killed.env, LOG_LEVEL: 'debug' });
        // Kill once a few batches are committed, well before the end.
        await waitFor(() => /"records":([1-9]\d{4})/.test(victim.stderr()) || victim.child.exitCode !== null, 'progress past 10,000 records');
        victim.child.kill('SIGKILL');
        await victim.exit;

        const again = bronze(['ingest', 'manual', '--file', file, '--batch-size', '2000'], killed.env);
        expect(await again.exit, again.stderr()).toBe(0);
        expect(again.stderr()).toMatch(/marked 1 earlier run\(s\) of manual as abandoned/);

        const a = await clean.open();
        const b = await killed.open();
        try {
          const snapA = await tableSnapshot(a, 'manual');
          expect(snapA.length).toBe(N);
          expect(await tableSnapshot(b, 'manual')).toEqual(snapA);
          const runs = await b.withSession((s) => s.query<{ status: string }>('SELECT status FROM bronze_runs ORDER BY started_at'));
          expect(runs.map((r) => r.status)).toEqual(['abandoned', 'succeeded']);
        } finally {
          await a.close();
          await b.close();
        }
      } finally {
        await clean.drop();
        await killed.drop();
      }
    }, 600_000);

    it('a second concurrent run of the same source exits 75 with a clear message; the first is unaffected', async () => {
      const p = await project(engine);
      try {
        const file = await bigJsonl(p.root, N, 'concurrent.jsonl');
        const first = bronze(['ingest', 'manual', '--file', file], p.env);
        await waitFor(() => /run \S+ of manual started/.test(first.stderr()), 'the first run to start');
        const second = bronze(['ingest', 'manual', '--file', file], p.env);
        expect(await second.exit).toBe(75);
        expect(second.stderr()).toMatch(/^error: another (run of source 'manual' is in progress|bronze process \(pid \d+\) is using the embedded database)/m);
        expect(await first.exit, first.stderr()).toBe(0);
        expect(first.stdout()).toMatch(new RegExp(`inserted ${N} `));
      } finally {
        await p.drop();
      }
    }, 600_000);

    it('bad input gives one line naming the problem, exit 1 or 2, and leaves stored data untouched', async () => {
      const p = await project(engine);
      try {
        const good = join(p.root, 'good.csv');
        writeFileSync(good, 'id,v\n1,a\n2,b\n');
        expect(await bronze(['ingest', 'manual', '--file', good], p.env).exit).toBe(0);
        mkdirSync(join(p.root, 'folder'));
        writeFileSync(join(p.root, 'empty.csv'), '');
        writeFileSync(join(p.root, 'binary.csv'), Buffer.from([1, 2, 0, 3]));
        const cases: [string[], number, RegExp][] = [
          [['--file', join(p.root, 'missing.csv')], 1, /missing\.csv: no such file/],
          [['--file', join(p.root, 'folder')], 1, /folder: is a directory/],
          [['--file', join(p.root, 'empty.csv')], 1, /empty\.csv: is empty \(0 bytes\)/],
          [['--file', join(p.root, 'binary.csv')], 1, /binary\.csv: looks binary/],
          [['--bogus-flag'], 2, /unknown option --bogus-flag; the options are --file, /],
          [[], 2, /needs --file PATH/],
        ];
        for (const [args, code, message] of cases) {
          const r = bronze(['ingest', 'manual', ...args], p.env);
          expect(await r.exit, `${args.join(' ')}: ${r.stderr()}`).toBe(code);
          const errors = r.stderr().split('\n').filter((l) => l.startsWith('error: '));
          expect(errors.length, r.stderr()).toBeGreaterThanOrEqual(1);
          expect(errors[0]).toMatch(message);
          expect(r.stderr()).not.toMatch(/^\s+at /m);
        }
        writeEnv(p.root, 'DATABASE_URL=mysql://someone@localhost/db\n');
        const badUrl = bronze(['ingest', 'manual', '--file', good], { ...p.env, DATABASE_URL: '' });
        expect(await badUrl.exit).toBe(2);
        expect(badUrl.stderr()).toMatch(/^error: DATABASE_URL must start with postgres:\/\//m);
        rmSync(join(p.root, '.env'));
        mkdirSync(join(p.root, '.env'));
        const unreadable = bronze(['ingest', 'manual', '--file', good], p.env);
        expect(await unreadable.exit).toBe(2);
        expect(unreadable.stderr()).toMatch(/^error: cannot read .*\.env: EISDIR/m);

        const db = await p.open();
        try {
          expect(await tableSnapshot(db, 'manual')).toHaveLength(2);
        } finally {
          await db.close();
        }
      } finally {
        await p.drop();
      }
    }, 600_000);
  });
}
