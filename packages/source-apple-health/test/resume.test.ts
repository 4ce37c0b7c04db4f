import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describeOneEngine } from '@bronze/testkit';
import { describe, expect, it } from 'vitest';
import { UNREAD_ROW_BYTES, unreadUntilResume, type ResumePoint, type UnreadText } from '../src/parts/unread-text.js';
import { MAX_RESUMES } from '../src/read-parts.js';
import { generatedXml, rowsPerStream, run, tempDir } from './helpers.js';

async function resumeOf(text: string, chunk: number, from: number, after: number): Promise<{ pieces: UnreadText[]; resume?: Omit<ResumePoint, 'rest'> & { rest: string } }> {
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunk) chunks.push(bytes.subarray(at, at + chunk));
  const it = unreadUntilResume(Readable.from(chunks), 'export.xml', from, after);
  const pieces: UnreadText[] = [];
  let next = await it.next();
  for (; !next.done; next = await it.next()) pieces.push(next.value);
  if (!next.value) return { pieces };
  let rest = '';
  for await (const c of next.value.rest) rest += c.toString();
  return { pieces, resume: { byte: next.value.byte, line: next.value.line, rest } };
}

describe('unreadUntilResume: where reading resumes after damage', () => {
  const doc = (indent: string) =>
    `<?xml version="1.0"?>\n<HealthData locale="en_US">\n${indent}<ExportDate value="x"/>\n${indent}<Record a="1">\n${indent} <MetadataEntry k="v"/>\n${indent}</Record>\n${indent}</Record>\n${indent} <MetadataEntry k="w"/>\n${indent}<record b="lower"/>\n${indent}<Workout c="3"/>\n</HealthData>\n`;

  for (const indent of [' ', '  ', '    ', '\t']) {
    it(`resumes at the next line indented like the first child (${JSON.stringify(indent)}), whatever the chunks`, async () => {
      const text = doc(indent);
      const stray = text.indexOf(`${indent}</Record>\n${indent} <Meta`);
      const from = stray - 1;
      const workout = text.indexOf(`${indent}<Workout`);
      for (const chunk of [1, 2, 3, 5, 7, 64, 1 << 16]) {
        const { pieces, resume } = await resumeOf(text, chunk, from, stray + 3);
        expect(pieces.map((p) => p.text).join('')).toBe(text.slice(from, workout));
        expect(pieces[0].from_byte).toBe(from);
        expect(resume).toEqual({ byte: workout, line: text.slice(0, workout).split('\n').length, rest: text.slice(workout) });
      }
    });
  }

  it('a long rest is cut in pieces of at most UNREAD_ROW_BYTES, never inside a character', async () => {
    // Three-byte characters lie across the first cut: a naive cut would split one.
    const text = `${'a'.repeat(UNREAD_ROW_BYTES - 7)}${'€'.repeat(10)}${'b'.repeat(UNREAD_ROW_BYTES)}😀 end`;
    for (const chunk of [7, 1 << 16]) {
      const { pieces, resume } = await resumeOf(text, chunk, 0, Number.POSITIVE_INFINITY);
      expect(resume).toBeUndefined();
      expect(pieces.map((p) => p.text).join('')).toBe(text);
      expect(pieces.every((p) => p.to_byte - p.from_byte <= UNREAD_ROW_BYTES && p.text && !p.text.includes('\uFFFD'))).toBe(true);
      expect(pieces.slice(1).every((p, k) => p.from_byte === pieces[k].to_byte)).toBe(true);
      expect(pieces).toHaveLength(3);
    }
  });

  it('without such a line after the damage: the text to the end, and no resume', async () => {
    const text = doc(' ');
    const at = text.indexOf(' <Workout') + 3;
    for (const chunk of [1, 4, 1 << 16]) {
      const { pieces, resume } = await resumeOf(text, chunk, at - 3, at);
      expect(resume).toBeUndefined();
      expect(pieces.map((p) => p.text).join('')).toBe(text.slice(at - 3));
    }
  });
});

describeOneEngine('apple_health: reading resumes after damage, at most MAX_RESUMES times', (db) => {
  it(`a generated export with ${MAX_RESUMES + 2} stray closing tags: resumes ${MAX_RESUMES} times, then keeps the rest as text`, async () => {
    const xml = await generatedXml({ records: 300, months: 2 });
    // A stray </Record> after each of the 10th, 20th… records (this export indents by two spaces).
    const starts: number[] = [];
    for (let at = xml.indexOf('\n  <Record '); at >= 0; at = xml.indexOf('\n  <Record ', at + 1)) starts.push(at);
    const strayBefore = Array.from({ length: MAX_RESUMES + 2 }, (_, k) => starts[10 * (k + 1)]);
    let damaged = '';
    let last = 0;
    for (const at of strayBefore) {
      damaged += `${xml.slice(last, at)}\n  </Record>`;
      last = at;
    }
    damaged += xml.slice(last);
    const file = join(tempDir(), 'export.xml');
    writeFileSync(file, damaged);
    const r = await run(db(), [file]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    const note = r.notes.find((n) => n.includes('every byte stored'))!;
    expect(note).toContain(`${MAX_RESUMES + 1} damaged places: XML broken at line`);
    expect(note).toContain(`after ${MAX_RESUMES} resumes, the text from the last is kept to the end of the file`);
    const rows = await rowsPerStream(db());
    // Records up to the (MAX_RESUMES + 1)th stray tag are rows; then the rest of the file is text.
    expect(rows.records).toBe(10 * (MAX_RESUMES + 1));
    expect(rows.other_elements).toBe(MAX_RESUMES + 1);
    const [unread] = await db().withSession((s) =>
      s.query<{ text: string }>(`SELECT raw_data->'value'->>'text' AS text FROM bronze_apple_health WHERE stream = 'other_elements' ORDER BY (raw_data->'value'->>'from_byte')::int DESC LIMIT 1`),
    );
    expect(damaged.endsWith(unread.text)).toBe(true);
    expect(unread.text.startsWith('\n  </Record>')).toBe(true);
  });

  it("a file broken in its first element still stores HealthData's attributes (export_info), beside the text", async () => {
    const file = join(tempDir(), 'export.xml');
    writeFileSync(file, '<?xml version="1.0"?>\n<HealthData locale="de_DE">\n <Record type="T" sourceName="S" startDate="2024-01-01 10:00:00 +0100" endDate="2024-01-01 10:00:00 +0100" value="&x;"/>\n</HealthData>\n');
    const before = await rowsPerStream(db());
    const r = await run(db(), [file]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    const after = await rowsPerStream(db());
    expect(after.export_info - (before.export_info ?? 0)).toBe(1);
    const [info] = await db().withSession((s) =>
      s.query<{ raw_data: unknown }>(`SELECT raw_data FROM bronze_apple_health WHERE stream = 'export_info' AND file_path = $1`, [file]),
    );
    expect(info.raw_data).toEqual({ HealthData: { locale: 'de_DE' } });
  });

  it('after a resume, a control character on the first line read is named at the same line and column as in an intact file', async () => {
    const record = ' <Record type="T" sourceName="S\u000b" startDate="2024-01-02 10:00:00 +0100" endDate="2024-01-02 10:00:00 +0100" value="1"/>';
    const head = '<?xml version="1.0"?>\n<HealthData locale="en_US">\n <ExportDate value="2024-01-03 10:00:00 +0100"/>\n';
    const dir = tempDir();
    // Line 4 is a stray closing tag in one, an intact element in the other: the record is on line 5 in both.
    const damaged = join(dir, 'damaged.xml');
    const intact = join(dir, 'intact.xml');
    writeFileSync(damaged, `${head} </Record>\n${record}\n</HealthData>\n`);
    // Its value differs (after the character on the line), or the record would come back unchanged and add no row.
    writeFileSync(intact, `${head} <Me HKCharacteristicTypeIdentifierBiologicalSex="x"/>\n${record.replace('value="1"', 'value="2"')}\n</HealthData>\n`);
    const warnings: string[] = [];
    for (const file of [damaged, intact]) {
      await run(db(), [file]);
      const [row] = await db().withSession((s) =>
        s.query<{ error_message: string; line: number }>(`SELECT error_message, (metadata->>'line')::int AS line FROM bronze_apple_health WHERE stream = 'records' AND file_path = $1`, [file]),
      );
      expect(row.line).toBe(5);
      warnings.push(row.error_message.replace(file, 'FILE'));
    }
    expect(warnings[0]).toMatch(/U\+000B at line 5, column \d+/);
    expect(warnings[0]).toBe(warnings[1]);
  });
});
