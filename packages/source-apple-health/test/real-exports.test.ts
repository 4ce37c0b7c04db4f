import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describeOneEngine } from '@bronze/testkit';
import { expect, it } from 'vitest';
import { SLICE_BYTES } from '../src/xml/elements.js';
import { rowsPerStream, run, tempDir } from './helpers.js';

// Two real exports of one iPhone (2017, HealthKit Export Version 3; fixtures/README.md): the whole
// export.xml, 3.8 MB, stored gzipped and unpacked here unchanged, and the 50 KB excerpt its
// author cut from it by hand, which holds a stray `</Record>`.
const FIXTURES = join(import.meta.dirname, 'fixtures');
const WHOLE = join(tempDir(), 'export.xml');
writeFileSync(WHOLE, gunzipSync(readFileSync(join(FIXTURES, 'hkimport_export.xml.gz'))));
const EXCERPT = join(FIXTURES, 'hkimport_exportSmall.xml');

/** Start lines of the top-level elements of <HealthData> with this tag, from the text (these files indent them by one space). */
function topLevelLines(xml: string, tag: string): number[] {
  const pattern = new RegExp(`^ <${tag}[ />]`);
  return xml.split('\n').flatMap((line, i) => (pattern.test(line) ? [i + 1] : []));
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** A start tag's attributes read with a regular expression, not an XML parser: the check on the reader. */
function startTagAttributes(line: string): Record<string, string> {
  const tag = line.slice(0, line.indexOf('>') + 1);
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/ ([A-Za-z]+)="([^"]*)"/g)) out[m[1]] = m[2].replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ENTITIES[e]);
  return out;
}

describeOneEngine('apple_health: a real export of 3.8 MB, read in 117 slices', (db) => {
  const xml = readFileSync(WHOLE, 'utf8');
  const lines = xml.split('\n');

  it('stores every element: per stream, rows = top-level elements in the file', async () => {
    expect(statSync(WHOLE).size).toBeGreaterThan(100 * SLICE_BYTES);
    const r = await run(db(), [WHOLE]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    expect(await rowsPerStream(db())).toEqual({
      records: topLevelLines(xml, 'Record').length,
      correlations: topLevelLines(xml, 'Correlation').length,
      workouts: topLevelLines(xml, 'Workout').length,
      me: 1,
      export_info: 1,
    });
    // Counted by another parser (Python's ElementTree) when the file was chosen.
    expect(topLevelLines(xml, 'Record')).toHaveLength(10_939);
    expect(topLevelLines(xml, 'Correlation')).toHaveLength(34);
    expect(topLevelLines(xml, 'Workout')).toHaveLength(61);
    expect(r.invalid).toBe(0);
  });

  it('gives every row the line its element starts on and its attributes exactly, on both sides of every cut', async () => {
    const stored = await db().withSession((s) =>
      s.query<{ line: number; raw_data: Record<string, unknown> }>(
        `SELECT (metadata->>'line')::int AS line, raw_data FROM bronze_apple_health WHERE stream IN ('records', 'correlations', 'workouts') ORDER BY 1`,
      ),
    );
    const starts = [...topLevelLines(xml, 'Record'), ...topLevelLines(xml, 'Correlation'), ...topLevelLines(xml, 'Workout')].sort((a, b) => a - b);
    expect(stored.map((r) => r.line)).toEqual(starts);
    const differing = stored.filter((r) => {
      const strings = Object.fromEntries(Object.entries(r.raw_data).filter(([, v]) => typeof v === 'string'));
      return JSON.stringify(strings, Object.keys(strings).sort()) !== JSON.stringify(startTagAttributes(lines[r.line - 1]), Object.keys(strings).sort())
        || Object.keys(strings).length !== Object.keys(startTagAttributes(lines[r.line - 1])).length;
    });
    expect(differing.map((r) => r.line)).toEqual([]);
  });

  it('keeps the children of correlations and the per-export device addresses in raw_data', async () => {
    const [n] = await db().withSession((s) =>
      s.query<{ nested: number; metadata: number; devices: number }>(
        `SELECT sum(jsonb_array_length(coalesce(raw_data->'Record', '[]')))::int AS nested,
                sum(jsonb_array_length(coalesce(raw_data->'MetadataEntry', '[]')))::int AS metadata,
                count(*) FILTER (WHERE raw_data->>'device' LIKE '%HKDevice: 0x%')::int AS devices
           FROM bronze_apple_health`,
      ),
    );
    expect(n.nested).toBe(xml.split('\n  <Record ').length - 1);
    // MetadataEntry children of top-level elements (two spaces) and of nested records (three).
    const nestedMetadata = xml.split('\n   <MetadataEntry ').length - 1;
    expect(n.metadata).toBe(xml.split('\n  <MetadataEntry ').length - 1);
    expect(nestedMetadata).toBeGreaterThan(0);
    expect(n.devices).toBe(lines.filter((l) => /^ <(Record|Workout|Correlation) /.test(l) && l.includes('HKDevice: 0x')).length);
  });

  it('a forced re-import adds nothing', async () => {
    const again = await run(db(), [WHOLE], { force: true });
    expect(again.status).toBe('succeeded');
    expect(again.inserted).toBe(0);
    expect(again.unchanged).toBe(again.seen);
  });
});

describeOneEngine('apple_health: the real excerpt with a stray closing tag', (db) => {
  const xml = readFileSync(EXCERPT, 'utf8');

  it('stores the elements before the damage, names it, and keeps the rest of the text in an invalid row', async () => {
    const r = await run(db(), [EXCERPT]);
    // The damage is reported; no byte is lost, so the run does not fail (damaged.test.ts).
    expect(r.status).toBe('succeeded');
    expect(r.notes.join('\n')).toMatch(/hkimport_exportSmall\.xml: XML broken at line 153, column 10 \(byte 9,276\): unexpected close tag/);
    expect(xml.split('\n')[152]).toBe(' </Record>');
    expect(await rowsPerStream(db())).toEqual({
      records: topLevelLines(xml, 'Record').filter((line) => line < 153).length,
      me: 1,
      export_info: 1,
      other_elements: 1,
    });
    const [unread] = await db().withSession((s) =>
      s.query<{ raw_data: { value: { text: string; from_byte: number; to_byte: number } }; validation_status: string }>(
        `SELECT raw_data, validation_status FROM bronze_apple_health WHERE stream = 'other_elements'`,
      ),
    );
    expect(unread.validation_status).toBe('invalid');
    const bytes = readFileSync(EXCERPT);
    expect(unread.raw_data.value.to_byte).toBe(bytes.length);
    expect(unread.raw_data.value.text).toBe(bytes.subarray(unread.raw_data.value.from_byte).toString());
    expect(unread.raw_data.value.text).toMatch(/^\n \n <\/Record>\n <Record type="HKCategoryTypeIdentifierSleepAnalysis"/);
  });
});
