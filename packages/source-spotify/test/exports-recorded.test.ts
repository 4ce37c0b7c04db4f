import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeEachEngine, type TestDatabase } from '@bronze/testkit';
import { expect, it } from 'vitest';
import { fixture, FIXTURES, run, tempDir, writeZip } from './helpers/exports.js';

// A real export, published by its owner with the analysis that reads it (YesWeCandrew/PBI-Spotify,
// MIT; test/fixtures/README.md): an account data history file as Spotify wrote it, and an older
// extended history file (endsong_*.json) in which the owner blanked the account fields
// (username, platform, conn_country, ip_addr_decrypted: null). Both read under Spotify's names.
const HISTORY = 'pbi-spotify_StreamingHistory1.json';
const ENDSONG = 'pbi-spotify_endsong_3.json';

type Json = Record<string, any>;
// Counted and keyed here, on the files' text (JSON.parse), not by the source.
const elements = (name: string) => JSON.parse(fixture(name)) as Json[];
/** The ids the README gives: `<key>#<n>`, n counting identical keys in the file. */
function countedIds(keys: string[]): string[] {
  const seen = new Map<string, number>();
  return keys.map((k) => `${k}#${seen.set(k, (seen.get(k) ?? 0) + 1).get(k)}`).sort();
}

/** Rows of a stream: how many, and how many of the file's elements have no equal row (jsonb `=`), and the reverse. */
async function compare(db: TestDatabase, stream: string, name: string) {
  const [r] = await db.withSession((q) =>
    q.query<{ rows: number; unmatched_elements: number; unmatched_rows: number; invalid: number }>(
      `SELECT (SELECT count(*) FROM bronze_spotify WHERE stream = $1)::int AS rows,
              (SELECT count(*) FROM (SELECT e FROM jsonb_array_elements($2::jsonb) e EXCEPT ALL SELECT raw_data FROM bronze_spotify WHERE stream = $1) x)::int AS unmatched_elements,
              (SELECT count(*) FROM (SELECT raw_data FROM bronze_spotify WHERE stream = $1 EXCEPT ALL SELECT e FROM jsonb_array_elements($2::jsonb) e) x)::int AS unmatched_rows,
              (SELECT count(*) FROM bronze_spotify WHERE stream = $1 AND validation_status <> 'valid')::int AS invalid`,
      [stream, fixture(name)],
    ),
  );
  const ids = await db.withSession((q) => q.query<{ raw_id: string }>(`SELECT raw_id FROM bronze_spotify WHERE stream = $1 ORDER BY raw_id COLLATE "C"`, [stream]));
  return { ...r, ids: ids.map((x) => x.raw_id) };
}
const byCodeUnit = (ids: string[]) => [...ids].sort((a, b) => (Buffer.compare(Buffer.from(a), Buffer.from(b))));

describeEachEngine('spotify exports: a real export, end to end', (db) => {
  const forget = () => db().withSession(async (q) => {
    const [{ held }] = await q.query<{ held: boolean }>(`SELECT to_regclass('bronze_spotify') IS NOT NULL AS held`);
    if (held) await q.query('TRUNCATE bronze_spotify, bronze_spotify_latest');
    await q.query(`DELETE FROM bronze_files WHERE source = 'spotify'`);
    await q.query(`DELETE FROM bronze_state WHERE source = 'spotify'`);
  });

  it('StreamingHistory1.json and endsong_3.json, one file each: one row per play, each stored as written, and succeeded', async () => {
    await forget();
    const dir = tempDir();
    copyFileSync(join(FIXTURES, HISTORY), join(dir, 'StreamingHistory1.json'));
    copyFileSync(join(FIXTURES, ENDSONG), join(dir, 'endsong_3.json'));
    const r = await run(db(), [join(dir, 'StreamingHistory1.json'), join(dir, 'endsong_3.json')]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');

    const history = elements(HISTORY);
    const h = await compare(db(), 'streaming_history', HISTORY);
    expect({ ...h, ids: undefined }).toEqual({ rows: history.length, unmatched_elements: 0, unmatched_rows: 0, invalid: 0, ids: undefined });
    expect(h.ids).toEqual(byCodeUnit(countedIds(history.map((p) => `${p.endTime}|${p.artistName}|${p.trackName}|${p.msPlayed}`))));

    // 220 of its plays have no uri and no names (all null): the README's `local:<artist>/<album>/<track>`, here `local://`.
    const plays = elements(ENDSONG);
    const e = await compare(db(), 'extended_history_audio', ENDSONG);
    expect({ ...e, ids: undefined }).toEqual({ rows: plays.length, unmatched_elements: 0, unmatched_rows: 0, invalid: 0, ids: undefined });
    expect(e.ids).toEqual(byCodeUnit(countedIds(plays.map((p) => `${p.ts}|${p.spotify_track_uri ?? p.spotify_episode_uri ?? `local:${p.master_metadata_album_artist_name ?? ''}/${p.master_metadata_album_album_name ?? ''}/${p.master_metadata_track_name ?? ''}`}|${p.ms_played}`))));
  });

  it('the same files in an export zip, imported again after the files: nothing added', async () => {
    await forget();
    const zip = await writeZip(join(tempDir(), 'my_spotify_data.zip'), {
      'MyData/StreamingHistory1.json': fixture(HISTORY),
      'MyData/endsong_3.json': fixture(ENDSONG),
    });
    const first = await run(db(), [zip]);
    expect(first.status, first.errors.join('; ')).toBe('succeeded');
    expect(first.inserted).toBe(elements(HISTORY).length + elements(ENDSONG).length);
    expect((await compare(db(), 'streaming_history', HISTORY)).unmatched_elements).toBe(0);
    expect((await compare(db(), 'extended_history_audio', ENDSONG)).unmatched_elements).toBe(0);
    const dir = tempDir();
    copyFileSync(join(FIXTURES, HISTORY), join(dir, 'StreamingHistory1.json'));
    const again = await run(db(), [join(dir, 'StreamingHistory1.json')]);
    expect(again.status, again.errors.join('; ')).toBe('succeeded');
    expect(again.inserted).toBe(0);
  });
});
