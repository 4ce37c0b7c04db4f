import { createHash } from 'node:crypto';
import { ingest, silentLogger } from '@bronze/core';
import { describeOneEngine } from '@bronze/testkit';
import { beforeAll, expect, it } from 'vitest';
import garmin from '../src/index.js';
import { OTHER_CONTENT_LIMIT } from '../src/export/json-entries.js';
import { MAX_FIT_BYTES } from '@bronze/fit';
import { bigFit, hostileZip } from './helpers/hostile-zips.js';

const FIT_BYTES = MAX_FIT_BYTES + (8 << 20);
const BIG = OTHER_CONTENT_LIMIT + (8 << 20);
let zip: string;
beforeAll(async () => {
  zip = await hostileZip({ fitBytes: FIT_BYTES, jsonObjectBytes: BIG, textBytes: BIG });
}, 300_000);

/**
 * A small zip whose entries inflate past the per-entry limits: each is stored as a row that
 * names it, with its size and sha256 (computed while streaming), and the run goes on. Peak
 * RSS is printed (never asserted): see the package README for the figures.
 */
describeOneEngine('entries over the per-entry limits', (db) => {
  it('are named with their size and sha256, not decoded or kept whole', async () => {
    const r = await ingest(db(), garmin, { files: [zip], logger: silentLogger(), env: {} });
    console.log(`peak RSS of the test process so far: ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    const rows = await db().withSession((s) =>
      s.query<{ stream: string; validation_status: string; error_message: string; size: string; sha256: string; content: string | null }>(
        `SELECT stream, validation_status, error_message, raw_data->>'size' AS size, raw_data->>'sha256' AS sha256, raw_data->>'content' AS content
         FROM bronze_garmin ORDER BY stream, validation_status`,
      ),
    );
    expect(rows.map((x) => [x.stream, x.validation_status])).toEqual([['export_other', 'invalid'], ['export_other', 'warning'], ['fit_files', 'invalid']]);
    const [json, text, fit] = rows;
    const fitBytes = bigFit(FIT_BYTES);
    expect(fit.error_message).toBe(`FIT file DI_CONNECT/DI-Connect-Uploaded-Files/huge_ACTIVITY.fit: ${fitBytes.length} bytes, over the ${MAX_FIT_BYTES}-byte limit bronze decodes in memory; not decoded (its size and sha256 are kept)`);
    expect(fit.sha256).toBe(createHash('sha256').update(fitBytes).digest('hex'));
    expect(Number(fit.size)).toBe(fitBytes.length);
    expect(json.error_message).toMatch(/^DI_CONNECT\/DI-Connect-Wellness\/me@example\.com_0_bigSamples\.json: a JSON document of \d+ bytes that is not an array, over the 33554432-byte limit/);
    expect(Number(json.size)).toBe(BIG + '{"samples":"'.length + 2);
    expect(text.error_message).toMatch(/^DI_CONNECT\/DI-Connect-User\/huge-log\.txt: \d+ bytes, over the 33554432-byte limit for unknown files: content not stored/);
    expect(Number(text.size)).toBe(BIG);
    expect(text.content).toBeNull();
  }, 600_000);
});
