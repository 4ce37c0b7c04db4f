import type { TestDatabase } from '@bronze/testkit';
import { compileValidator, ensureSourceTable, toBronzeRow, Type, type Emitted, type FileMeta, type Stream } from '../src/index.js';
import { BatchLoader } from '../src/loader/load-batch.js';

export interface Thing {
  id?: unknown;
  at?: unknown;
  n?: unknown;
}

/** A stream like a source's: id from `id`, timestamp from `at` (ISO text or UNIX seconds), `n` must be a number. */
export const things: Stream<Thing> = {
  name: 'things',
  schema: Type.Object({ n: Type.Optional(Type.Number()) }),
  id: (r) => r.id as string,
  timestamp: (r) => (r.at === undefined ? undefined : typeof r.at === 'number' ? new Date(r.at * 1000) : new Date(String(r.at))),
};
const prepared = { stream: things, validate: compileValidator(things.schema) };

export const row = (r: unknown, file?: FileMeta) => toBronzeRow(prepared, r as Thing | Emitted, file);

let n = 0;

/** A loader on a fresh source table; `load` stores records as one batch and returns the counts. */
export async function withLoader<T>(
  db: () => TestDatabase,
  fn: (load: (records: unknown[], file?: FileMeta) => Promise<{ inserted: number; unchanged: number }>, table: string) => Promise<T>,
): Promise<T> {
  const source = `values_${++n}`;
  return db().withSession(async (s) => {
    await ensureSourceTable(s, source);
    const [{ id }] = await s.query<{ id: string }>(`INSERT INTO bronze_runs (source) VALUES ($1) RETURNING id`, [source]);
    const loader = new BatchLoader(s, { source, runId: id, environment: 'test', pipelineVersion: 't', parametersJson: '{}', lineageType: 'file' });
    // Each call is a whole read, as the batcher does it: load, then attach bulk-loaded months.
    const load = async (records: unknown[], file?: FileMeta) => {
      const counts = await loader.load({ rows: records.map((r) => row(r, file)), startedAt: new Date() });
      await loader.finishBulk();
      return counts as { inserted: number; unchanged: number };
    };
    return fn(load, `bronze_${source}`);
  });
}
