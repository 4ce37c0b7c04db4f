import { createTestDatabase, describeOneEngine, ingestCapturingLogs, startFixtureServer, type FixtureServer, type TestDatabase } from '@bronze/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import github from '../src/index.js';
import { env, fixture, githubScenario, listing, LOGIN } from './github-scenario.js';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

const fast = { ...github, rateLimit: undefined };
/** The recorded events (newest first), and the newest one's id: the cursor after a first run. */
const EVENTS = fixture('events.json') as { id: string; created_at: string }[];
const NEWEST = EVENTS[0].id;

/** The events listing GitHub gives later: `events`, newest first, put before the recorded one. */
const later = (events: unknown[]) => githubScenario(server.url, { faults: listing(server.url, 'later events', `/users/${LOGIN}/events`, [{ pages: [events] }], { 'x-poll-interval': '60' }) });
const shifted = (by: bigint, day: string) => EVENTS.map((e) => ({ ...e, id: String(BigInt(e.id) + by), created_at: `${day}T10:00:00Z` }));

describeOneEngine('github events: GitHub keeps 300 of the last 90 days', (db, engine) => {
  const fresh: TestDatabase[] = [];
  afterAll(async () => {
    for (const d of fresh) await d.close();
  });

  it('a listing that no longer reaches back to the last event stored: its events stored, the summary names the span that may lack events; one that does: no word', async () => {
    const target = await createTestDatabase(engine);
    fresh.push(target);
    server.load(githubScenario(server.url));
    expect((await ingestCapturingLogs(target, fast, { env: env(server.url), streams: ['user', 'events'] })).result?.status).toBe('succeeded');

    // Newer events and the last one stored: the listing overlaps the cursor.
    server.load(later([...shifted(1000n, '2022-07-20'), EVENTS[0]]));
    const overlapping = (await ingestCapturingLogs(target, fast, { env: env(server.url), streams: ['user', 'events'] })).result;
    expect(overlapping?.status, overlapping?.errors.join('; ')).toBe('succeeded');
    expect(overlapping?.inserted).toBe(EVENTS.length);
    expect(overlapping?.notes.filter((n) => n.startsWith('events:'))).toEqual([]);

    // Only events newer than those: what lay between may have been dropped by GitHub.
    const gap = shifted(5000n, '2022-10-30');
    server.load(later(gap));
    const { result } = await ingestCapturingLogs(target, fast, { env: env(server.url), streams: ['user', 'events'] });
    expect(result?.status, result?.errors.join('; ')).toBe('succeeded');
    expect(result?.inserted).toBe(gap.length);
    const stored = String(BigInt(NEWEST) + 1000n);
    const oldest = gap.at(-1)!;
    expect(result?.notes).toContain(
      `events: GitHub's listing no longer reaches back to the last event stored (id ${stored}); it keeps 300 events of the last 90 days, ` +
        `so events between that one and the oldest listed (id ${oldest.id}, ${oldest.created_at}) may be missing: run at least every few days`,
    );
  });
});
