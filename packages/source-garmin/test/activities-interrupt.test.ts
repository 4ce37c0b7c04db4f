import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingest, openDatabase, type BronzeDatabase } from '@bronze/core';
import { createTestDatabase, startFixtureServer, tableSnapshot, testEngines, type Fixture, type FixtureServer, type Scenario } from '@bronze/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import garmin from '../src/index.js';
import { capturingLogger, garminEnv, OLD_ACCESS, recorded, replay, writeTokenFile } from './helpers/connect-api.js';
import { spawnIngest, until } from './helpers/child-process.js';

const LIST = '/activitylist-service/activities/search/activities';
const fast = { ...garmin, rateLimit: undefined };

/**
 * Garmin lists newest first. Pages 0 and 1 are garth's recordings (January 2026); page 2
 * holds two older activities of the same shape (the first recording's, moved a year back
 * with new ids); page 3 is empty.
 */
function olderPage(): unknown[] {
  return recorded('garth_test_activity_list_pagination.0').body.map((a: Record<string, unknown>, i: number) => ({
    ...a,
    activityId: 20000000000 + i,
    startTimeGMT: `2025-0${2 - i}-10 07:00:00`,
    startTimeLocal: `2025-0${2 - i}-10 08:00:00`,
  }));
}
const page = (start: number, extra: Partial<Fixture>): Fixture => ({ name: `page ${start}`, request: { path: LIST, query: { limit: '2', start: String(start) } }, times: 'always', ...extra });

function account(page2: Partial<Fixture> = { response: { body: olderPage() } }): Scenario {
  return {
    expectAuthorization: `Bearer ${OLD_ACCESS}`,
    fixtures: [replay('garth_test_activity_list_pagination.0'), replay('garth_test_activity_list_pagination.1'), page(4, page2), page(6, { response: { body: [] } })],
  };
}

let server: FixtureServer;
let tokenFile: string;
beforeAll(async () => {
  server = await startFixtureServer();
  tokenFile = writeTokenFile();
});
afterAll(() => server.close());

// Garmin's own cases run on one engine (PostgreSQL when TEST_DATABASE_URL is set, as
// describeOneEngine): the cursor and commit logic they exercise is core's, tested on both.
const ENGINE = testEngines().at(-1)!;

const env = () => garminEnv(server.url, tokenFile, { GARMIN_PAGE_SIZE: '2' });
const runIn = (db: BronzeDatabase, streams: string[]) => ingest(db, fast, { logger: capturingLogger().logger, env: env(), streams });
const rowsOf = (db: BronzeDatabase, stream: string) =>
  db.withSession((s) => s.query<{ raw_id: string }>(`SELECT raw_id FROM bronze_garmin WHERE stream = $1 ORDER BY raw_id`, [stream])).then((r) => r.map((x) => x.raw_id));

/**
 * Ctrl-C or SIGTERM while the first activity listing waits for its third page. The listing
 * used to end quietly with the newest pages, store them and set the cursor to the newest
 * start: the older activities were never read again. Now nothing of an incomplete listing is
 * stored; the re-run reads it whole.
 */
describe.each((['SIGINT', 'SIGTERM'] as const).map((s) => [ENGINE, s] as const))('%s: %s mid-listing', (engine, sig) => {
  it('moves no cursor past an unread activity; the re-run gives the table of one clean run', async () => {
    const reference = await createTestDatabase(engine);
    const home = mkdtempSync(join(tmpdir(), 'bronze-garmin-int-'));
    let target: BronzeDatabase | undefined;
    let spawned: ReturnType<typeof spawnIngest> | undefined;
    try {
      server.load(account());
      const cleanRun = await runIn(reference, ['activities']);
      expect(cleanRun.status, cleanRun.errors.join('; ')).toBe('succeeded');
      const clean = await tableSnapshot(reference, 'garmin');
      expect(await rowsOf(reference, 'activities')).toEqual(['20000000000', '20000000001', '21413444039', '21419635589', '21461718086', '21482825013']);

      let dbEnv: Record<string, string> = {};
      if (engine === 'postgres') {
        target = await createTestDatabase('postgres');
        dbEnv = (target as unknown as { env: Record<string, string> }).env;
      }
      server.load(account({ response: { body: [] }, fault: 'slow', delayMs: 60_000 }));
      const run = (spawned = spawnIngest({ BRONZE_HOME: home, ...dbEnv, ...env() }, ['--streams', 'activities', '--batch-size', '1']));
      await until('the child to ask for page 3', () => (run.output().includes('of garmin started') && server.requests.some((r) => r.answeredBy === 'page 4')) || run.child.exitCode !== null);
      expect(run.child.exitCode, run.output()).toBeNull();
      run.child.kill(sig);
      const { code } = await run.exited;
      expect(code, run.output()).toBe(1);
      expect(run.output()).toContain('interrupted');

      target ??= await openDatabase({ dataDir: join(home, 'data', 'bronze') });
      const [state] = await target.withSession((s) => s.query(`SELECT cursor FROM bronze_state WHERE source = 'garmin' AND stream = 'activities'`));
      expect(state).toBeUndefined();

      server.load(account());
      const rerun = await runIn(target, ['activities']);
      expect(rerun.status, rerun.errors.join('; ')).toBe('succeeded');
      expect(await tableSnapshot(target, 'garmin')).toEqual(clean);
    } finally {
      spawned?.child.kill('SIGKILL'); // never leave a child calling the shared fixture server after a failure
      await target?.close();
      await reference.close();
      rmSync(home, { recursive: true, force: true });
    }
  }, 300_000); // a child process starting tsx on a loaded machine can take a minute
});

// An outage is no signal: once.
describe.each([ENGINE])('%s: an outage mid-listing', (engine) => {
  it('an outage mid-listing (500s beyond every retry) stores nothing of it; the re-run completes the table', async () => {
    const reference = await createTestDatabase(engine);
    const target = await createTestDatabase(engine);
    try {
      server.load(account());
      await runIn(reference, ['activities']);
      const clean = await tableSnapshot(reference, 'garmin');
      server.load(account({ response: { status: 500 }, times: 5 }));
      await expect(runIn(target, ['activities'])).rejects.toThrow(/start=4.* failed after 5 attempts: answered 500/);
      expect(await rowsOf(target, 'activities')).toEqual([]);
      server.load(account());
      expect((await runIn(target, ['activities'])).status).toBe('succeeded');
      expect(await tableSnapshot(target, 'garmin')).toEqual(clean);
    } finally {
      await target.close();
      await reference.close();
    }
  }, 300_000);
});
