import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describeOneEngine } from '@bronze/testkit';
import { expect, it } from 'vitest';
import { SLICE_BYTES } from '../src/xml/elements.js';
import { rowsPerStream, run, tempDir, writeZip } from './helpers.js';

// Two real exports of one iPhone (2017, HealthKit Export Version 3; fixtures/README.md): the whole
// export.xml, 3.8 MB, stored gzipped and unpacked here unchanged, and the 50 KB excerpt its
// author cut from it by hand, damaged where it was cut.
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

describeOneEngine('apple_health: the real hand-cut excerpt, read again after each damaged place', (db) => {
  const xml = readFileSync(EXCERPT, 'utf8');
  const lines = xml.split('\n');
  const bytes = readFileSync(EXCERPT);

  it('names every damaged place, and stores each element with the line it starts on and its attributes', async () => {
    const r = await run(db(), [EXCERPT]);
    // Every byte is stored: the run does not fail (damaged.test.ts), it names the damage.
    expect(r.status).toBe('succeeded');
    expect(r.notes.join('\n')).toContain(
      'hkimport_exportSmall.xml: 3 damaged places: XML broken at line 153, column 10 (byte 9,276): unexpected close tag.; ' +
        'XML broken at line 176, column 15 (byte 11,604): unexpected close tag.; XML broken at line 547, column 13 (byte 50,675): unexpected close tag.',
    );
    // The damage: a stray </Record>, a </Correlation> whose opening was cut away, </HealthData>
    // while the last Correlation, never closed, still holds every Workout after it.
    expect([lines[152], lines[175], lines[546]]).toEqual([' </Record>', ' </Correlation>', '</HealthData>']);
    const stored = await db().withSession((s) =>
      s.query<{ stream: string; line: number; raw_data: Record<string, unknown> }>(
        `SELECT stream, (metadata->>'line')::int AS line, raw_data FROM bronze_apple_health WHERE stream IN ('records', 'correlations') ORDER BY 2`,
      ),
    );
    const wrong = stored.filter((r) => {
      const text = lines[r.line - 1].trimStart();
      const strings = Object.fromEntries(Object.entries(r.raw_data).filter(([, v]) => typeof v === 'string'));
      const tag = r.stream === 'records' ? '<Record ' : '<Correlation ';
      return !text.startsWith(tag) || JSON.stringify(strings, Object.keys(strings).sort()) !== JSON.stringify(startTagAttributes(text), Object.keys(strings).sort());
    });
    expect(wrong).toEqual([]);
    // Past each of the first two damaged places, elements are read again as rows.
    expect(stored.filter((r) => r.line > 153 && r.line < 176).length).toBeGreaterThan(0);
    expect(stored.filter((r) => r.line > 176).length).toBe(13);
    expect(stored.find((r) => r.line === 417)!.raw_data.Workout).toHaveLength(topLevelLines(xml, 'Workout').length);
  });

  it('keeps the text at each damaged place in an invalid row, up to the line where reading resumed', async () => {
    const unread = await db().withSession((s) =>
      s.query<{ raw_data: { value: { text: string; from_byte: number; to_byte: number } }; validation_status: string }>(
        `SELECT raw_data, validation_status FROM bronze_apple_health WHERE stream = 'other_elements' ORDER BY (raw_data->'value'->>'from_byte')::int`,
      ),
    );
    expect(unread.map((u) => u.validation_status)).toEqual(['invalid', 'invalid', 'invalid']);
    for (const { raw_data } of unread) expect(raw_data.value.text).toBe(bytes.subarray(raw_data.value.from_byte, raw_data.value.to_byte).toString());
    const [first, second, last] = unread.map((u) => u.raw_data.value);
    expect(first.from_byte).toBeLessThanOrEqual(9_276);
    expect(first.to_byte).toBeGreaterThan(9_276);
    expect(second.from_byte).toBeLessThanOrEqual(11_604);
    expect(second.to_byte).toBeGreaterThan(11_604);
    // Reading resumed on a line that opens one of HealthData's children.
    for (const u of [first, second]) expect(bytes.subarray(u.to_byte - 1, u.to_byte + 3).toString()).toMatch(/^\n <[A-Z]$/);
    expect(last.to_byte).toBe(bytes.length);
    // The tag that closed the open Correlation is not its own: its bytes are in the text row.
    expect(last.text).toBe('</HealthData>\n');
  });

  it('stores the Correlation that </HealthData> closed with a warning that says so', async () => {
    const rows = await db().withSession((s) =>
      s.query<{ line: number; validation_status: string; error_message: string | null }>(
        `SELECT (metadata->>'line')::int AS line, validation_status, error_message FROM bronze_apple_health
          WHERE stream = 'correlations' AND file_path LIKE '%hkimport_exportSmall.xml' AND validation_status <> 'valid'`,
      ),
    );
    expect(rows).toEqual([{
      line: 417,
      validation_status: 'warning',
      error_message: `${EXCERPT} line 417: no closing tag of its own: </HealthData> at line 547 ended it, so it holds everything from its start up to there`,
    }]);
  });

  it('a forced re-import of the excerpt adds nothing: the resumed reading and its text rows are the same each time', async () => {
    const again = await run(db(), [EXCERPT], { force: true });
    expect(again.status).toBe('succeeded');
    expect(again.inserted).toBe(0);
    expect(again.unchanged).toBe(again.seen);
    expect(again.seen).toBe(42);
  });

  it('the elements read after a damaged place are those of the intact export: importing it adds only what the excerpt lacks', async () => {
    const counts = await rowsPerStream(db());
    const excerptElements = counts.records + counts.correlations + counts.me + counts.export_info;
    const whole = await run(db(), [WHOLE]);
    expect(whole.status, whole.errors.join('; ')).toBe('succeeded');
    // All but the Correlation that swallowed the Workouts come back unchanged (same raw_id, same hash).
    expect(whole.unchanged).toBe(excerptElements - 1);
    expect(whole.inserted).toBe(whole.seen - whole.unchanged);
  });

  it('inside the Health app\'s zip, the excerpt reads the same: the entry is inflated again for each damaged place', async () => {
    const zip = await writeZip(join(tempDir(), 'export.zip'), { 'apple_health_export/export.xml': bytes });
    const before = await db().withSession((s) =>
      s.query<{ stream: string; raw_id: string; record_hash: string }>(`SELECT stream, raw_id, record_hash FROM bronze_apple_health WHERE file_path LIKE '%hkimport_exportSmall.xml' ORDER BY 1, 2`),
    );
    const r = await run(db(), [zip]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    expect(r.notes.join('\n')).toContain('export.xml: 3 damaged places: XML broken at line 153, column 10 (byte 9,276)');
    // Every row the plain file gave comes back unchanged; the three unread rows are the zip entry's own (their raw_id names the entry).
    expect(r.unchanged).toBe(before.filter((b) => b.stream !== 'other_elements').length);
    expect(r.inserted).toBe(3);
    const after = await db().withSession((s) =>
      s.query<{ text: string }>(`SELECT raw_data->'value'->>'text' AS text FROM bronze_apple_health WHERE stream = 'other_elements' AND file_path LIKE '%export.zip%' ORDER BY (raw_data->'value'->>'from_byte')::int`),
    );
    const plain = await db().withSession((s) =>
      s.query<{ text: string }>(`SELECT raw_data->'value'->>'text' AS text FROM bronze_apple_health WHERE stream = 'other_elements' AND file_path LIKE '%hkimport_exportSmall.xml' ORDER BY (raw_data->'value'->>'from_byte')::int`),
    );
    expect(after.map((a) => a.text)).toEqual(plain.map((p) => p.text));
  });
});
