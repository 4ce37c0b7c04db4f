import { createWriteStream, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exportCounts, generateExport } from '@bronze/source-apple-health';
import { tableSnapshot, testEngines } from '@bronze/testkit';
import { bronze, killChildren, pnpmBronze, project, waitFor, type Spawned } from './process-helpers.js';

// ~17.5 MB of export.xml: over the 16 MB from which `auto` reads a file in a thread.
const OPTIONS = { records: 40_000, months: 8 };
const ROWS = Object.values(exportCounts(OPTIONS)).reduce((a, b) => a + b, 0);
const THREAD_LINE = 'read and enveloped in a worker thread';

async function writeExport(dir: string): Promise<string> {
  const path = join(dir, 'export.xml');
  const out = createWriteStream(path);
  for await (const chunk of generateExport(OPTIONS)) if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  await new Promise<void>((r) => out.end(r));
  return path;
}

const progress = (p: Spawned) => Math.max(0, ...[...p.stderr().matchAll(/"records":(\d+)/g)].map((m) => Number(m[1])));

afterEach(() => killChildren());

for (const engine of testEngines()) {
  describe(`Apple Health read in a worker thread, as processes [${engine}]`, () => {
    it('Ctrl-C, and kill -9, while the thread reads: a re-run ends at the table of a one-thread run; the built CLI uses the thread by default on the embedded database only', async () => {
      const clean = await project(engine);
      const cut = await project(engine);
      const killed = await project(engine);
      try {
        const file = await writeExport(clean.root);
        expect(statSync(file).size).toBeGreaterThan(16 << 20);
        const args = ['ingest', 'apple-health', '--file', file];
        const one = bronze(args, { ...clean.env, BRONZE_READ_WORKER: 'off', LOG_LEVEL: 'debug' });
        expect(await one.exit, one.stderr()).toBe(0);
        expect(one.stderr()).not.toContain(THREAD_LINE);

        // Ctrl-C: the summary, exit 1, the file 'interrupted'; the re-run reads it again.
        const victim = bronze([...args, '--batch-size', '500'], { ...cut.env, BRONZE_READ_WORKER: 'on', LOG_LEVEL: 'debug' });
        await waitFor(() => progress(victim) >= 4000 || victim.child.exitCode !== null, 'records to flow', 400_000);
        expect(victim.child.exitCode, victim.stderr()).toBeNull();
        expect(victim.stderr()).toContain(THREAD_LINE);
        victim.child.kill('SIGINT');
        // A thread left running would keep the process alive after Ctrl-C: fail in a minute, not at the test's timeout.
        await waitFor(() => victim.child.exitCode !== null || victim.child.signalCode !== null, 'the process to exit after Ctrl-C', 60_000);
        expect(await victim.exit, victim.stderr()).toBe(1);
        expect(victim.stdout()).toMatch(/^apple-health: failed — seen \d+/m);
        expect(victim.stderr()).toMatch(/error: interrupted/);
        const again = bronze(args, { ...cut.env, BRONZE_READ_WORKER: 'on' });
        expect(await again.exit, again.stderr()).toBe(0);

        // kill -9 at a random point, then the built CLI as a user runs it (`auto`).
        // In the first half, and on a periodic progress report, not the last one (ROWS), which
        // comes after the file is marked imported (as in ingest-interrupt.test.ts).
        const at = 1000 + Math.floor(Math.random() * (ROWS / 2 - 1000));
        const dying = bronze([...args, '--batch-size', '500'], { ...killed.env, BRONZE_READ_WORKER: 'on', LOG_LEVEL: 'debug' });
        await waitFor(() => progress(dying) >= at || dying.child.exitCode !== null, `progress past ${at} records`, 400_000);
        expect(dying.child.exitCode, `finished before the kill at ${at}: ${dying.stderr()}`).toBeNull();
        expect(progress(dying), `the whole file was read before a progress report of ${at}+ records`).toBeLessThan(ROWS);
        dying.child.kill('SIGKILL');
        await dying.exit;
        const rerun = pnpmBronze(args, { ...killed.env, LOG_LEVEL: 'debug' });
        expect(await rerun.exit, rerun.stderr()).toBe(0);
        if (engine === 'pglite') expect(rerun.stderr()).toContain(THREAD_LINE);
        else expect(rerun.stderr()).not.toContain(THREAD_LINE);

        const dbs = [await clean.open(), await cut.open(), await killed.open()];
        try {
          const reference = await tableSnapshot(dbs[0], 'apple_health');
          expect(reference.length).toBe(ROWS);
          expect(await tableSnapshot(dbs[1], 'apple_health'), 'after Ctrl-C').toEqual(reference);
          expect(await tableSnapshot(dbs[2], 'apple_health'), `killed after ${at} records`).toEqual(reference);
          for (const db of dbs.slice(1)) {
            const files = await db.withSession((s) => s.query<{ status: string }>('SELECT status FROM bronze_files ORDER BY id'));
            expect(files.map((f) => f.status)).toEqual(['interrupted', 'imported']);
          }
        } finally {
          for (const db of dbs) await db.close();
        }
      } finally {
        await clean.drop();
        await cut.drop();
        await killed.drop();
      }
    }, 900_000);
  });
}
