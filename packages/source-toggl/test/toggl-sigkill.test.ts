import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type BronzeDatabase } from '@bronze/core';
import { createTestDatabase, startFixtureServer, tableSnapshot, testEngines, type FixtureServer, ingestCapturingLogs } from '@bronze/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import toggl from '../src/index.js';
import { env, togglScenario } from './toggl-scenario.js';

const PACKAGE_DIR = join(import.meta.dirname, '..');
// node itself with tsx as a loader: one process, so SIGKILL hits the ingesting process.
const TSX_LOADER = join(PACKAGE_DIR, '../../node_modules/tsx/dist/loader.mjs');
const fast = { ...toggl, rateLimit: undefined };

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

// A test that fails half-way still ends its child (it may hang on the slow fault otherwise).
const children = new Set<ChildProcess>();
afterEach(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  children.clear();
});

/** Waits on an event (a request, an exit), not a duration; the cap only ends a hung test. */
async function until(what: string, check: () => boolean, capMs = 400_000): Promise<void> {
  const deadline = Date.now() + capMs;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (!check()) throw new Error(`gave up waiting for ${what}`);
}

/**
 * The real thing: `pnpm --filter source-toggl ingest`'s entry in a child process, killed
 * with SIGKILL while it waits for the second backfill window; then a re-run in this process.
 */
describe.each(testEngines())('SIGKILL mid-backfill [%s]', (engine) => {
  it('the re-run gives the table of one clean run', async () => {
    const reference = await createTestDatabase(engine);
    const home = mkdtempSync(join(tmpdir(), 'bronze-kill-'));
    let killed: BronzeDatabase | undefined;
    try {
      server.load(togglScenario());
      await ingestCapturingLogs(reference, fast, { env: env(server.url) });
      const clean = await tableSnapshot(reference, 'toggl');

      let dbEnv: Record<string, string> = {};
      if (engine === 'postgres') {
        killed = await createTestDatabase('postgres');
        dbEnv = (killed as unknown as { env: Record<string, string> }).env;
      }
      server.load(togglScenario({ faults: { window2: [{ name: 'hang', request: { path: '/api/v9/me/time_entries', query: { start_date: '2024-03-31T00:00:00Z', end_date: '*' } }, response: { body: [] }, fault: 'slow', delayMs: 60_000 }] } }));
      const child = spawn(process.execPath, ['--conditions=source', '--import', TSX_LOADER, '../../apps/runner/src/cli.ts', 'ingest', 'toggl', '--batch-size', '1'], {
        cwd: PACKAGE_DIR,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, BRONZE_HOME: home, ...dbEnv, ...env(server.url) } as NodeJS.ProcessEnv,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      children.add(child);
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += String(d)));
      const exited = new Promise<NodeJS.Signals | null>((ok) => child.on('exit', (_code, signal) => ok(signal)));
      await until('the child to ask for window 2', () => server.requests.some((r) => r.answeredBy === 'hang') || child.exitCode !== null);
      expect(child.exitCode, stderr).toBeNull();
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');

      killed ??= await openDatabase({ dataDir: join(home, 'data', 'bronze') });
      const [run] = await killed.withSession((s) => s.query<{ status: string }>(`SELECT status FROM bronze_runs`));
      expect(run.status).toBe('running'); // it died without a word
      const partial = await tableSnapshot(killed, 'toggl');
      // 7 reference records + window 1's 3 entries, committed one by one; the last batch may
      // still be in flight when window 2 is asked for (reading overlaps loading).
      expect(partial.length).toBeGreaterThanOrEqual(7);
      expect(partial.length).toBeLessThanOrEqual(10);

      server.load(togglScenario());
      const { result } = await ingestCapturingLogs(killed as never, fast, { env: env(server.url) });
      expect(result?.status).toBe('succeeded');
      expect(await tableSnapshot(killed, 'toggl')).toEqual(clean);
      const runs = await killed.withSession((s) => s.query<{ status: string }>(`SELECT status FROM bronze_runs ORDER BY started_at`));
      expect(runs.map((r) => r.status)).toEqual(['abandoned', 'succeeded']);
    } finally {
      await killed?.close();
      await reference.close();
      rmSync(home, { recursive: true, force: true });
    }
  }, 600_000);
});
