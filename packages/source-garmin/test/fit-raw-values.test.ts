import { join } from 'node:path';
import { ingest, silentLogger } from '@bronze/core';
import { describeEachEngine } from '@bronze/testkit';
import { expect, it } from 'vitest';
import garmin from '../src/index.js';
import { fitMessagesPerFile } from './helpers/fit-messages.js';

// Cut-down real files kept with @bronze/fit's tests (origin and counts: packages/fit/test/fixtures/README.md).
const FIT_FIXTURES = join(import.meta.dirname, '..', '..', 'fit', 'test', 'fixtures');
const TRIATHLON = join(FIT_FIXTURES, 'fitparser_triathlon-summary-first-cut.fit');
const COROS = join(FIT_FIXTURES, 'fitparse_coros-pace-2-misaligned-fields-cut.fit');
const UNFINALIZED = join(FIT_FIXTURES, 'fitparse_activity-unfinalized.fit');
const DUPLICATE_FIELDS = join(FIT_FIXTURES, 'goldencheetah_bingiwatch-pool-swim-duplicate-fields-cut.fit');

describeEachEngine('garmin FIT files the SDK read partly', (db) => {
  it('stores every message and value: 137 (triathlon, record with cycles + total_cycles) and 24 (Coros), no warning', async () => {
    const r = await ingest(db(), garmin, { files: [TRIATHLON, COROS], logger: silentLogger(), env: {} });
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    expect(r.invalid + r.warning).toBe(0);
    const rows = await fitMessagesPerFile(db());
    // The independent walker's counts of data messages.
    expect(rows).toEqual([{ file: 'fitparse_coros-pace-2-misaligned-fields-cut.fit', n: 24 }, { file: 'fitparser_triathlon-summary-first-cut.fit', n: 137 }]);
    const [session] = await db().withSession((s) =>
      s.query<{ speed: unknown }>(`SELECT raw_data->'messages'->0->'enhancedAvgSpeed' AS speed FROM bronze_garmin WHERE stream = 'fit_messages' AND raw_data->>'message' = 'session' AND file_path LIKE '%triathlon%'`),
    );
    expect(session.speed).toEqual([760, 65535]);
    const [events] = await db().withSession((s) =>
      s.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM bronze_garmin, jsonb_array_elements(raw_data->'messages') e
         WHERE stream = 'fit_messages' AND raw_data->>'message' = 'event' AND e ? 'data' AND file_path LIKE '%coros%'`,
      ),
    );
    expect(events.n).toBe(5);
  });

  it('a file never finalized (header data size 0) stores its 22 messages; the file row is invalid, naming why, with its bytes', async () => {
    const r = await ingest(db(), garmin, { files: [UNFINALIZED], logger: silentLogger(), env: {} });
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    const [file] = await db().withSession((s) =>
      s.query<{ status: string; error: string; n: number }>(
        `SELECT validation_status AS status, error_message AS error,
           (SELECT sum(jsonb_array_length(m.raw_data->'messages'))::int FROM bronze_garmin m WHERE m.stream = 'fit_messages' AND m.file_path = f.file_path) AS n
         FROM bronze_garmin f WHERE stream = 'fit_files' AND file_path = $1`, [UNFINALIZED],
      ),
    );
    expect(file.n).toBe(22);
    expect(file.status).toBe('invalid');
    expect(file.error).toMatch(/says 0 data bytes and there is no CRC \(the file was never finalized\): the 22 messages/);
  });

  it('a definition naming a field number twice (Bingi watch laps): 93 messages stored, the 40 overwritten values kept as the section bytes, the file row a warning', async () => {
    const r = await ingest(db(), garmin, { files: [DUPLICATE_FIELDS], logger: silentLogger(), env: {} });
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    expect(r.warning).toBe(1);
    // The independent walker's counts (packages/fit/test/helpers/fit-walk.py, fit-duplicate-fields.py).
    expect(await fitMessagesPerFile(db())).toContainEqual({ file: 'goldencheetah_bingiwatch-pool-swim-duplicate-fields-cut.fit', n: 93 });
    const [file] = await db().withSession((s) =>
      s.query<{ status: string; error: string; overwritten: number; kept: boolean }>(
        `SELECT validation_status AS status, error_message AS error, (raw_data->'decoderLimits'->0->>'overwrittenFields')::int AS overwritten,
           raw_data->'decoderLimits'->0->>'sectionBase64' IS NOT NULL AS kept
         FROM bronze_garmin WHERE stream = 'fit_files' AND file_path = $1`, [DUPLICATE_FIELDS],
      ),
    );
    expect(file).toMatchObject({ status: 'warning', overwritten: 40, kept: true });
    expect(file.error).toMatch(/overwrote 40 field value\(s\) with a later field of the same number/);
  });
});
