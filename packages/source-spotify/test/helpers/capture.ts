import { createLogger, type BronzeDatabase, type Logger } from '@bronze/core';

/** bronze's real logger (JSON lines, secrets scrubbed), its output kept in memory instead of stderr. */
export function capturingLogger(): { logger: Logger; text: () => string } {
  const lines: string[] = [];
  const logger = createLogger({ json: true, level: 'debug' });
  for (const t of logger.transports) t.silent = true;
  logger.on('data', (info: Record<string | symbol, unknown>) => lines.push(String(info[Symbol.for('message')] ?? JSON.stringify(info))));
  return { logger, text: () => lines.join('\n') };
}

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
