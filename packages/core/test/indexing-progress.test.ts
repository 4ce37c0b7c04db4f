import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { countRows, describeEachEngine } from '@bronze/testkit';
import { defineSource, emit, formatProgress, ingest, silentLogger, Type, type Progress } from '../src/index.js';
import { tempDir } from './file-source.js';

// A read's new months are loaded without indexes and indexed after it (bulk-month.ts): on a
// large file that phase took 12 s of a 1M-record import with the progress line frozen at 100%
// (docs/benchmark-history.md, 2026-12-04 14:38). The line now says which phase it is in.

/** JSON Lines of {id, at}: source_timestamp from `at`, so new months take the bulk path. */
const datedSource = (name: string) =>
  defineSource({
    name,
    version: '1',
    description: 'dated test file source',
    config: Type.Object({}),
    configure: () => ({}),
    streams: () => [{ name: 'events', schema: Type.Object({ id: Type.String(), at: Type.String() }), id: (r: { id: string }) => r.id, timestamp: (r: { at: string }) => new Date(r.at) }],
    files: {
      accepts: '.jsonl',
      async *read(file, _config, ctx) {
        for await (const l of ctx.files.jsonLines(file)) yield emit(l.value, { stream: 'events' });
      },
    },
  });

/** An API-like stream over records in memory (what core does with a stream's read is the point here). */
const streamSource = (name: string, records: { id: string; at: string }[]) =>
  defineSource({
    name,
    version: '1',
    description: 'dated test stream source',
    config: Type.Object({}),
    configure: () => ({}),
    baseUrl: 'http://127.0.0.1:1',
    streams: () => [
      {
        name: 'events',
        schema: Type.Object({ id: Type.String(), at: Type.String() }),
        id: (r: { id: string }) => r.id,
        timestamp: (r: { at: string }) => new Date(r.at),
        async *read() {
          yield* records;
        },
      },
    ],
  });

/** n records, one per day from 2024-01-01: n = 91 spans January to March. */
function writeDays(n: number, from = 0): string {
  const path = join(tempDir(), 'events.jsonl');
  const lines = Array.from({ length: n }, (_, i) => JSON.stringify({ id: `e${from + i}`, at: new Date(Date.UTC(2024, 0, 1 + from + i)).toISOString() }));
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** The indexing states reported, in order, each once (the 1 s timer may repeat one). */
const indexingSteps = (events: Progress[]) =>
  events
    .map((e) => e.indexing && `${e.indexing.done}/${e.indexing.total}`)
    .filter((s, i, all): s is string => s !== undefined && s !== all[i - 1]);

describeEachEngine('progress while a read indexes its new months', (db) => {
  let n = 0;
  afterEach(() => {
    delete process.env.BRONZE_BULK_MONTHS;
  });

  it('reports each new month indexed, then a last line without the phase', async () => {
    const source = `indexing_${++n}`;
    const events: Progress[] = [];
    const r = await ingest(db(), datedSource(source), { files: [writeDays(91)], logger: silentLogger(), onProgress: (p) => events.push(p), batchSize: 20 });
    expect(r).toMatchObject({ status: 'succeeded', inserted: 91 });
    expect(await countRows(db(), source)).toBe(91);
    expect(indexingSteps(events)).toEqual(['0/3', '1/3', '2/3', '3/3']);
    const last = events[events.length - 1];
    expect(last.indexing).toBeUndefined();
    expect(last.records).toBe(91);
    expect(formatProgress(events.find((e) => e.indexing?.done === 3)!)).toMatch(/ 91 records {2}\d+ rec\/s {2}indexing new months 3\/3$/);
    expect(formatProgress(last)).not.toMatch(/indexing/);
  });

  it('one new month (ATTACH builds its indexes) is reported too; months already indexed are not', async () => {
    const source = `indexing_${++n}`;
    const events: Progress[] = [];
    await ingest(db(), datedSource(source), { files: [writeDays(20)], logger: silentLogger(), onProgress: (p) => events.push(p) });
    expect(indexingSteps(events)).toEqual(['0/1', '1/1']);

    // The same month again, with other records: the partition exists, the normal path.
    events.length = 0;
    const again = await ingest(db(), datedSource(source), { files: [writeDays(10, 20)], logger: silentLogger(), onProgress: (p) => events.push(p) });
    expect(again).toMatchObject({ status: 'succeeded', inserted: 10 });
    expect(events.length).toBeGreaterThan(0);
    expect(indexingSteps(events)).toEqual([]);
  });

  it('a stream read (an API source) reports its new months too', async () => {
    const source = `indexing_${++n}`;
    const events: Progress[] = [];
    const records = Array.from({ length: 91 }, (_, i) => ({ id: `e${i}`, at: new Date(Date.UTC(2024, 0, 1 + i)).toISOString() }));
    const r = await ingest(db(), streamSource(source, records), { logger: silentLogger(), onProgress: (p) => events.push(p), batchSize: 20 });
    expect(r).toMatchObject({ status: 'succeeded', inserted: 91 });
    expect(indexingSteps(events)).toEqual(['0/3', '1/3', '2/3', '3/3']);
    expect(events.every((e) => e.stream === 'events')).toBe(true);
  });

  it('nothing to report with the bulk path off', async () => {
    process.env.BRONZE_BULK_MONTHS = 'off';
    const source = `indexing_${++n}`;
    const events: Progress[] = [];
    await ingest(db(), datedSource(source), { files: [writeDays(91)], logger: silentLogger(), onProgress: (p) => events.push(p) });
    expect(await countRows(db(), source)).toBe(91);
    expect(indexingSteps(events)).toEqual([]);
  });
});
