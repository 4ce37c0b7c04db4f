import { join } from 'node:path';
import { ingest, silentLogger } from '@bronze/core';
import { describeEachEngine } from '@bronze/testkit';
import { expect, it } from 'vitest';
import garmin from '../src/index.js';

// python-fitparse's compressed-speed-distance.fit cut to 3,000 bytes, kept with @bronze/fit's tests
// (origin: packages/fit/test/fixtures/README.md).
const CUT = join(import.meta.dirname, '..', '..', 'fit', 'test', 'fixtures', 'fitparse_compressed-speed-distance-cut.fit');

describeEachEngine('garmin: a FIT file with compressed-timestamp headers, cut short', (db) => {
  it('stores every whole message before the cut (346), the file row invalid naming byte 2997, the file kept', async () => {
    const r = await ingest(db(), garmin, { files: [CUT], logger: silentLogger(), env: {} });
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    const streams = await db().withSession((s) =>
      s.query<{ stream: string; rows: number; messages: number | null; invalid: number }>(
        `SELECT stream, count(*)::int AS rows, sum(jsonb_array_length(raw_data->'messages'))::int AS messages,
           count(*) FILTER (WHERE validation_status = 'invalid')::int AS invalid
         FROM bronze_garmin WHERE file_path = $1 GROUP BY stream ORDER BY stream`, [CUT],
      ),
    );
    // packages/fit/test/helpers/fit-walk.py: 346 whole data messages of 8 global types before the
    // record at byte 2997 that the cut runs through. Before: 16 messages in 6 rows.
    expect(streams).toEqual([
      { stream: 'fit_files', rows: 1, messages: null, invalid: 1 },
      { stream: 'fit_messages', rows: 8, messages: 346, invalid: 8 },
    ]);
    const perType = await db().withSession((s) =>
      s.query<{ global: number; n: number }>(
        `SELECT (raw_data->>'globalMessageNumber')::int AS global, jsonb_array_length(raw_data->'messages') AS n
         FROM bronze_garmin WHERE stream = 'fit_messages' AND file_path = $1 ORDER BY 1`, [CUT],
      ),
    );
    // The walker's counts by global message number (20 = record, 326 of them with a compressed header).
    expect(Object.fromEntries(perType.map((t) => [t.global, t.n]))).toEqual({ 0: 1, 18: 1, 19: 11, 20: 326, 21: 3, 22: 2, 34: 1, 36: 1 });
    const [file] = await db().withSession((s) =>
      s.query<{ error: string; offset: number; base64: string }>(
        `SELECT error_message AS error, (raw_data->'damage'->>'offset')::int AS offset, raw_data->'damage'->>'fileBase64' AS base64
         FROM bronze_garmin WHERE stream = 'fit_files' AND file_path = $1`, [CUT],
      ),
    );
    expect(file.offset).toBe(2997);
    expect(file.error).toMatch(/^FIT file damaged: record cut short at byte 2997 of 3000 \(section 0, after 346 messages; the record there runs past the end of the file\)/);
    expect(Buffer.from(file.base64, 'base64').length).toBe(3000);
  });
});
