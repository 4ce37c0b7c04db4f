import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type BronzeDatabase } from '@bronze/core';
import { createTestDatabase, describeOneEngine, startFixtureServer, tableSnapshot, testEngines, type FixtureServer, type TestDatabase, ingestCapturingLogs } from '@bronze/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import toggl from '../src/index.js';
import { abortingAfter, spawnIngest, until } from './interrupt-helpers.js';
import { env, sinceChanges, togglScenario, WINDOW_2 } from './toggl-scenario.js';

const fast = { ...toggl, rateLimit: undefined };
const TE = '/api/v9/me/time_entries';
const window2 = (fixture: object) => ({ window2: [{ name: 'window2 fault', request: { path: TE, query: { start_date: WINDOW_2, end_date: '*' } }, ...fixture }] });

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

type Cursor = { cursor?: string; backfill?: { next: string; startedAt: string } };
async function cursorOf(db: BronzeDatabase): Promise<Cursor | undefined> {
  const [row] = await db.withSession((s) => s.query<{ cursor: Cursor }>(`SELECT cursor FROM bronze_state WHERE source = 'toggl' AND stream = 'time_entries'`));
  return row?.cursor;
}

/**
 * Ctrl-C (or SIGTERM) while the backfill waits for window 2: the batches read are committed,
 * and the cursor stays in the backfill after window 1, so the re-run reads window 2 and later.
 * (It used to turn incremental: every window after the interruption was never read.)
 */
describe.each(testEngines().flatMap((e) => (['SIGINT', 'SIGTERM'] as const).map((s) => [e, s] as const)))('%s: %s mid-backfill', (engine, sig) => {
  it('keeps the cursor in the backfill; the re-run gives the table of one clean run', async () => {
    const reference = await createTestDatabase(engine);
    const home = mkdtempSync(join(tmpdir(), 'bronze-int-'));
    let target: BronzeDatabase | undefined;
    let spawned: ReturnType<typeof spawnIngest> | undefined;
    try {
      server.load(togglScenario());
      await ingestCapturingLogs(reference, fast, { env: env(server.url) });
      const clean = await tableSnapshot(reference, 'toggl');

      let dbEnv: Record<string, string> = {};
      if (engine === 'postgres') {
        target = await createTestDatabase('postgres');
        dbEnv = (target as unknown as { env: Record<string, string> }).env;
      }
      server.load(togglScenario({ faults: window2({ response: { body: [] }, fault: 'slow', delayMs: 60_000 }) }));
      const run = (spawned = spawnIngest({ BRONZE_HOME: home, ...dbEnv, ...env(server.url) }, ['--batch-size', '1']));
      await until('the child to ask for window 2', () => (run.output().includes('toggl.tags:') && server.requests.some((r) => r.answeredBy === 'window2 fault')) || run.child.exitCode !== null);
      expect(run.child.exitCode, run.output()).toBeNull();
      run.child.kill(sig);
      const { code } = await run.exited;
      expect(code, run.output()).toBe(1);
      expect(run.output()).toContain('interrupted');

      target ??= await openDatabase({ dataDir: join(home, 'data', 'bronze') });
      expect((await cursorOf(target))?.backfill?.next).toBe(new Date(WINDOW_2).toISOString());
      expect((await tableSnapshot(target, 'toggl')).length).toBe(10); // 7 reference records + window 1's 3 entries

      server.load(togglScenario());
      const { result } = await ingestCapturingLogs(target as TestDatabase, fast, { env: env(server.url) });
      expect(result?.status).toBe('succeeded');
      expect(server.requests.find((r) => r.path === TE)?.query.start_date).toBe(WINDOW_2);
      expect(await tableSnapshot(target, 'toggl')).toEqual(clean);
      expect(await cursorOf(target)).toEqual({ cursor: expect.any(String) });
    } finally {
      spawned?.child.kill('SIGKILL'); // never leave a child calling the shared fixture server after a failure
      await target?.close();
      await reference.close();
      rmSync(home, { recursive: true, force: true });
    }
  }, 300_000); // a child process starting tsx on a loaded machine can take a minute
});

describeOneEngine('toggl interrupted in-process', (db, engine) => {
  const extra: TestDatabase[] = [];
  afterAll(async () => {
    for (const d of extra) await d.close();
  });
  const fresh = async () => {
    const d = await createTestDatabase(engine);
    extra.push(d);
    return d;
  };

  it('an outage mid-backfill (500s beyond every retry) fails the run, keeps the backfill cursor, and the re-run completes the table', async () => {
    server.load(togglScenario());
    await ingestCapturingLogs(db(), fast, { env: env(server.url) });
    const clean = await tableSnapshot(db(), 'toggl');

    const target = await fresh();
    server.load(togglScenario({ faults: window2({ response: { status: 500 }, times: 5 }) }));
    const { error } = await ingestCapturingLogs(target, fast, { env: env(server.url) });
    expect(error?.message).toMatch(/time_entries\?start_date=2024-03-31T00:00:00Z.* failed after 5 attempts: answered 500/);
    expect((await cursorOf(target))?.backfill?.next).toBe(new Date(WINDOW_2).toISOString());
    server.load(togglScenario());
    const { result } = await ingestCapturingLogs(target, fast, { env: env(server.url) });
    expect(result?.status).toBe('succeeded');
    expect(await tableSnapshot(target, 'toggl')).toEqual(clean);
  }, 240_000);

  it('a stop part-way through a `since` response keeps the old cursor; the re-run stores every change', async () => {
    // Reference: a backfill, then one run that reads all three changes.
    const reference = await fresh();
    server.load(togglScenario({ sinceBody: sinceChanges() }));
    await ingestCapturingLogs(reference, fast, { env: env(server.url) });
    await ingestCapturingLogs(reference, fast, { env: env(server.url) });
    const clean = await tableSnapshot(reference, 'toggl');

    const target = await fresh();
    server.load(togglScenario({ sinceBody: sinceChanges() }));
    await ingestCapturingLogs(target, fast, { env: env(server.url) });
    const before = await cursorOf(target);
    expect(before?.cursor).toEqual(expect.any(String));

    const stop = new AbortController();
    server.load(togglScenario({ sinceBody: sinceChanges() }));
    const stopped = await ingestCapturingLogs(target, abortingAfter(fast, 'time_entries', 1, stop), { env: env(server.url), signal: stop.signal, batchSize: 1 });
    expect(stopped.result?.status).toBe('failed');
    expect(stopped.result?.errors.join()).toMatch(/interrupted/);
    expect(await cursorOf(target)).toEqual(before); // one of three changes stored: the cursor must not pass the other two

    server.load(togglScenario({ sinceBody: sinceChanges() }));
    const { result } = await ingestCapturingLogs(target, fast, { env: env(server.url) });
    expect(result?.status).toBe('succeeded');
    expect(Number(server.requests.find((r) => r.path === TE)?.query.since)).toBe(Math.floor(Date.parse(before!.cursor!) / 1000) - 60);
    expect(await tableSnapshot(target, 'toggl')).toEqual(clean);
    expect((await cursorOf(target))!.cursor! > before!.cursor!).toBe(true);
  }, 240_000);
});
