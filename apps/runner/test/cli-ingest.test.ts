import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFixtureServer, testEngines } from '@bronze/testkit';
import { describe, expect, it } from 'vitest';
import { runBronze } from './cli-helpers.js';
import { FIXTURES } from './helpers.js';
import { project } from './process-helpers.js';

const count = (db: Awaited<ReturnType<Awaited<ReturnType<typeof project>>['open']>>, sql: string) =>
  db.withSession((s) => s.query<{ stream: string; n: number }>(sql));

for (const engine of testEngines()) {
  describe(`bronze ingest as a user types it [${engine}]`, () => {
    it('imports every path after --file (relative to where it was typed); a dry run then compares with the database and writes nothing', async () => {
      const p = await project(engine);
      try {
        writeFileSync(join(p.root, 'a.csv'), 'id,steps\n1,9000\n2,12000\n3,8000\n');
        writeFileSync(join(p.root, 'b.jsonl'), '{"id": 1, "v": 1}\n{"id": 2, "v": 2}\n');
        const typedHere = { ...p.env, INIT_CWD: p.root };
        const real = await runBronze(['ingest', 'manual', '--id-field', 'id', '--file', 'a.csv', 'b.jsonl'], typedHere);
        expect(real.code, real.stderr).toBe(0);
        expect(real.stdout).toContain('files: 2 imported, 0 skipped (already imported), 0 failed');
        const db = await p.open();
        try {
          const perStream = await count(db, 'SELECT stream, count(*)::int AS n FROM bronze_manual GROUP BY stream ORDER BY stream');
          expect(perStream).toEqual([{ stream: 'a', n: 3 }, { stream: 'b', n: 2 }]);
        } finally {
          await db.close();
        }

        // One record changed, one new: the dry run knows a.csv is imported and which records are stored.
        writeFileSync(join(p.root, 'b.jsonl'), '{"id": 1, "v": 1}\n{"id": 2, "v": 9}\n{"id": 3, "v": 3}\n');
        const dry = await runBronze(['ingest', 'manual', '--id-field', 'id', '--dry-run', '--file', 'a.csv', 'b.jsonl'], typedHere);
        expect(dry.code, dry.stderr).toBe(0);
        expect(dry.stdout).toContain('manual: dry run succeeded — seen 3, new 2 (new versions 1), already stored 1');
        expect(dry.stdout).toContain('files: 1 to import, 1 would be skipped (already imported), 0 failed');
        expect(dry.stdout).toContain('(dry run: nothing written)');
        // Two equal bookings of a new file: both new, numbered as the import numbers them (a
        // dry run once counted the 2nd as already stored).
        writeFileSync(join(p.root, 'twice.csv'), 'date,amount\n2025-01-02,5\n2025-01-02,5\n');
        const twice = await runBronze(['ingest', 'manual', '--dry-run', '--file', 'twice.csv'], typedHere);
        expect(twice.stdout).toContain('seen 2, new 2 (new versions 0), already stored 0');

        const after = await p.open();
        try {
          expect(await count(after, 'SELECT stream, count(*)::int AS n FROM bronze_manual GROUP BY stream ORDER BY stream')).toEqual([{ stream: 'a', n: 3 }, { stream: 'b', n: 2 }]);
          expect(await count(after, `SELECT 'runs' AS stream, count(*)::int AS n FROM bronze_runs`)).toEqual([{ stream: 'runs', n: 1 }]);
          expect(await count(after, `SELECT 'files' AS stream, count(*)::int AS n FROM bronze_files`)).toEqual([{ stream: 'files', n: 2 }]);
        } finally {
          await after.close();
        }
      } finally {
        await p.drop();
      }
    }, 600_000);

    it('an explicit file no stream recognises (a .png given to garmin) is stored, and named in the summary as a warning', async () => {
      const p = await project(engine);
      try {
        const png = join(p.root, 'x.png');
        copyFileSync(join(FIXTURES, 'rust-favicon.png'), png);
        const r = await runBronze(['ingest', 'garmin', '--file', png], p.env);
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toMatch(/^garmin: succeeded with 1 warning — seen 1, inserted 1 /);
        expect(r.stdout).toContain(`1 file not recognised: ${png} stored in export_other`);
        const db = await p.open();
        try {
          const rows = await db.withSession((s) => s.query<{ stream: string; validation_status: string; error_message: string; content: string }>(
            `SELECT stream, validation_status, error_message, raw_data->>'content' AS content FROM bronze_garmin`));
          expect(rows).toHaveLength(1);
          expect(rows[0]).toMatchObject({ stream: 'export_other', validation_status: 'warning' });
          expect(rows[0].error_message).toMatch(/^not recognised: x\.png is not a FIT file/);
          expect(Buffer.from(rows[0].content, 'base64').equals(readFileSync(png))).toBe(true);
        } finally {
          await db.close();
        }
      } finally {
        await p.drop();
      }
    }, 600_000);

    it('--all runs every configured API source and lists the skipped ones with the reason', async () => {
      const p = await project(engine);
      const me = JSON.parse(readFileSync(join(FIXTURES, 'toggl-me.json'), 'utf8'));
      const api = await startFixtureServer({
        fixtures: [
          { name: 'me', request: { path: '/api/v9/me' }, response: { body: me }, times: 'always' },
          ...['workspaces', 'projects', 'clients', 'tags', 'time_entries'].map((x) => ({ name: x, request: { path: `/api/v9/me/${x}`, anyQuery: true }, response: { body: [] }, times: 'always' as const })),
        ],
      });
      try {
        const none = await runBronze(['ingest', '--all'], { ...p.env, TOGGL_API_TOKEN: '' });
        expect(none.code).toBe(2);
        expect(none.stderr).toMatch(/^skipped toggl: missing TOGGL_API_TOKEN/m);
        expect(none.stderr).toMatch(/^skipped strava: STRAVA_CLIENT_ID and STRAVA_CLIENT_SECRET are not set/m);
        expect(none.stderr).toMatch(/^skipped github: missing GITHUB_TOKEN/m);
        expect(none.stderr).toMatch(/^error: no API source is configured/m);

        const since = new Date(Date.now() - 5 * 86_400_000).toISOString().slice(0, 10);
        const r = await runBronze(['ingest', '--all'], { ...p.env, TOGGL_API_TOKEN: 'a-token-for-the-fixture', TOGGL_BASE_URL: api.url, TOGGL_START_DATE: since });
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toMatch(/^toggl: succeeded — seen 1, inserted 1 /m);
        expect(r.stderr).toMatch(/^skipped garmin: Garmin token file .* does not exist/m);
        expect(r.stderr).not.toMatch(/^error:/m);
      } finally {
        await api.close();
        await p.drop();
      }
    }, 600_000);
  });
}

describe('bronze ingest --dry-run without a database', () => {
  it('never creates the embedded database, and says so', async () => {
    const root = mkdtempSync(join(tmpdir(), 'bronze-dry-'));
    const r = await runBronze(['ingest', 'manual', '--dry-run', '--file', join(FIXTURES, 'weights.csv')], { BRONZE_HOME: root });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`dry run: no embedded database at ${join(root, 'data', 'bronze')} yet (not created): every file and record counts as new`);
    expect(r.stdout).toMatch(/^manual: dry run succeeded — seen \d+, new \d+/);
    expect(existsSync(join(root, 'data'))).toBe(false);
  });
});
