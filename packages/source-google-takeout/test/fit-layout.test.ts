import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describeEachEngine } from '@bronze/testkit';
import { expect, it } from 'vitest';
import { generateTakeout } from '../src/index.js';
import { expectedCounts, materialize, rowsPerStream, run, tempDir, treeOf, writeZip } from './helpers.js';

/**
 * Fit's folder names as real exports write them. A 2025 English export names the sessions
 * folder `Fit/All Sessions/` (capital S; the generator writes `All sessions`):
 * fixtures/README.md, "Real exports read, not copied". The files here are the generator's Fit records (the
 * real export states no license and is a person's data: not copied), placed in that folder.
 */
async function fitTakeout(): Promise<Record<string, Buffer>> {
  const generated = await materialize(generateTakeout({ locations: 0, semantic: 0, activities: 0, subscriptions: 0, fitDays: 3 }));
  const fit = Object.entries(generated).filter(([path]) => path.startsWith('Takeout/Fit/'));
  return Object.fromEntries(fit.map(([path, bytes]) => [path.replace('/Fit/All sessions/', '/Fit/All Sessions/'), bytes]));
}

describeEachEngine('google takeout: Fit folders as a 2025 export names them (`All Sessions`)', (db) => {
  it('an unpacked folder and a zip: every session file is a fit_sessions row, none lands in `other`', async () => {
    const tree = await fitTakeout();
    const sessions = Object.keys(tree).filter((p) => p.startsWith('Takeout/Fit/All Sessions/'));
    expect(sessions.length).toBe(3);
    const want = expectedCounts(tree);
    // Counted from the files themselves: one session per file, the daily CSVs' lines below their header.
    expect(want.fit_sessions).toBe(sessions.length);
    expect(want.fit_daily_activity_metrics).toBe(Object.entries(tree).filter(([p]) => p.endsWith('.csv')).reduce((n, [, b]) => n + b.toString('utf8').trim().split('\n').length - 1, 0));
    expect(want.other).toBeUndefined();

    const dir = tempDir();
    for (const [path, bytes] of Object.entries(tree)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), bytes);
    }
    expect(Object.keys(treeOf(join(dir, 'Takeout'))).length).toBe(Object.keys(tree).length);
    const folder = await run(db(), [join(dir, 'Takeout')]);
    expect(folder.status, folder.errors.join('; ')).toBe('succeeded');
    expect(await rowsPerStream(db())).toEqual(want);
    const ts = await db().withSession((s) => s.query<{ n: number }>(`SELECT count(*)::int AS n FROM bronze_google_takeout WHERE stream = 'fit_sessions' AND source_timestamp IS NOT NULL`));
    expect(ts[0].n).toBe(sessions.length);

    // The same files in a takeout zip: the same paths, the same ids, nothing new.
    const zip = await run(db(), [await writeZip(join(dir, 'takeout-20250222T000000Z-001.zip'), tree)]);
    expect(zip.status, zip.errors.join('; ')).toBe('succeeded');
    expect(zip.inserted).toBe(0);
    expect(await rowsPerStream(db())).toEqual(want);
  });
});
