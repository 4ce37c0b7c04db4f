import type { BronzeDatabase } from '@bronze/core';

export { capturingLogger } from '@bronze/testkit';

/** Everything a run leaves in the database for this source, as text: rows, runs, cursors. */
export function storedText(db: BronzeDatabase): Promise<string> {
  return db.withSession(async (s) => {
    const rows = await s.query<{ t: string }>(`SELECT b::text AS t FROM bronze_spotify b`);
    const runs = await s.query<{ t: string }>(`SELECT r::text AS t FROM bronze_runs r WHERE source = 'spotify'`);
    const state = await s.query<{ t: string }>(`SELECT st::text AS t FROM bronze_state st WHERE source = 'spotify'`);
    return [...rows, ...runs, ...state].map((r) => r.t).join('\n');
  });
}

export function cursors(db: BronzeDatabase): Promise<Record<string, unknown>> {
  return db.withSession(async (s) => {
    const rows = await s.query<{ stream: string; cursor: unknown }>(`SELECT stream, cursor FROM bronze_state WHERE source = 'spotify'`);
    return Object.fromEntries(rows.map((r) => [r.stream, r.cursor]));
  });
}

export function rowsPerStream(db: BronzeDatabase): Promise<Record<string, number>> {
  return db.withSession(async (s) => {
    const rows = await s.query<{ stream: string; n: number }>(`SELECT stream, count(*)::int AS n FROM bronze_spotify GROUP BY stream`);
    return Object.fromEntries(rows.map((r) => [r.stream, Number(r.n)]));
  });
}
