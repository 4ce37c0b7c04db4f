import { expect, it } from 'vitest';
import { describeEachEngine } from '@bronze/testkit';
import { ensureSourceTable, Type, toBronzeRow, compileValidator, emit, type Stream } from '../src/index.js';
import { BatchLoader } from '../src/loader/load-batch.js';
import { copyField, copyFieldChunks, type CopyFieldValue } from '../src/loader/copy-text.js';
import { copyRowsText } from '../src/loader/write-rows.js';

const stream: Stream<{ id: string; v: string }> = { name: 'texts', schema: Type.Object({ id: Type.String(), v: Type.String() }), id: (r) => r.id };
const prepared = { stream, validate: compileValidator(stream.schema) };

it('copyField escapes what COPY text format gives meaning to, and nothing else', () => {
  expect(copyField(null)).toBe('\\N');
  expect(copyField('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
  expect(copyField('\\N')).toBe('\\\\N');
  expect(copyField('plain “quotes” ’')).toBe('plain “quotes” ’');
  expect(copyField(42)).toBe('42');
});

it('copyFieldChunks: UTF-8 chunks of whole lines, fields escaped and tab-separated, each chunk kept as yielded, a line longer than a chunk whole', () => {
  // Fields of 1-, 2-, 3- and 4-byte characters, COPY's special characters, NULLs, pre-encoded bytes, one far over the chunk size.
  const texts = ['plain', 'ü € 😀', 'tab\there\nnew\rcr\\back', '\\N', '', 'x'.repeat(64), `é${'x'.repeat(63)}`, `${'x'.repeat(64)}é`];
  const constant = Buffer.from('c1\tc\\2');
  const lines = Array.from({ length: 500 }, (_, i) => [texts[i % texts.length], i % 3 ? null : String(i), texts[(i * 7) % texts.length] + 'x'.repeat(i % 97)]);
  lines.splice(250, 0, [`long ${'€'.repeat(5000)}`, null, 'end']);
  const fields = (line: (string | null)[], out: CopyFieldValue[]) => {
    line.forEach((v, j) => (out[j] = v));
    out[line.length] = constant;
    return line.length + 1;
  };
  const chunks = [...copyFieldChunks(lines, fields, 1024)];
  const expected = lines.map((l) => `${[...l.map(copyField), 'c1\tc\\2'].join('\t')}\n`).join('');
  // Collected before reading: a chunk overwritten after it was yielded would show here.
  expect(Buffer.concat(chunks).toString('utf8')).toBe(expected);
  for (const c of chunks) expect(c[c.length - 1]).toBe(0x0a);
  expect(chunks.every((c) => c.length <= 1024 || c.toString('utf8').startsWith('long '))).toBe(true);
  expect(chunks.length).toBeGreaterThan(20);
  expect([...copyFieldChunks([], fields)]).toEqual([]);
});

it("copyRowsText: a file's columns are encoded once, and again when the file's meta changes (an encoding decided after its first rows)", () => {
  const file: { path: string; sha256: string; size: number; encoding?: string } = { path: 'a\tb.csv', sha256: 'f'.repeat(64), size: 12 };
  const constants = { source: 's', runId: '00000000-0000-0000-0000-000000000000', environment: 'test', pipelineVersion: 't', parametersJson: '{}', lineageType: 'file' as const };
  const columnsOf = () => {
    const rows = [1, 2].map((i) => ({ row: toBronzeRow(prepared, { id: `r${i}`, v: 'x' }, file), version: 1 }));
    const text = Buffer.concat([...copyRowsText('t', constants, rows, new Date()).chunks] as Uint8Array[]).toString('utf8');
    // lineage_source, file_path, file_hash, file_size, compression_type, encoding: columns 10–15.
    return text.trimEnd().split('\n').map((line) => line.split('\t').slice(9, 15));
  };
  const expected = (encoding: string) => ['a\\tb.csv', 'a\\tb.csv', 'f'.repeat(64), '12', '\\N', encoding];
  expect(columnsOf()).toEqual([expected('\\N'), expected('\\N')]);
  file.encoding = 'windows-1252';
  expect(columnsOf()).toEqual([expected('windows-1252'), expected('windows-1252')]);
});

describeEachEngine('COPY write path', (db) => {
  it('stores tabs, newlines, backslashes and \\N text exactly, in raw_data, ids, metadata and messages', async () => {
    const nasty = 'tab\there\nnew line\r\\N back\\slash "q" \u2028';
    await db().withSession(async (s) => {
      await ensureSourceTable(s, 'copy_text');
      const [{ id }] = await s.query<{ id: string }>(`INSERT INTO bronze_runs (source) VALUES ('copy_text') RETURNING id`);
      const loader = new BatchLoader(s, { source: 'copy_text', runId: id, environment: 'test', pipelineVersion: 't', parametersJson: '{"p":"a\\tb"}', lineageType: 'file' });
      const rows = [
        toBronzeRow(prepared, emit({ id: nasty, v: nasty }, { metadata: { note: nasty }, warning: nasty })),
        toBronzeRow(prepared, { id: '\\N', v: '' }),
      ];
      expect(await loader.load({ rows, startedAt: new Date() })).toMatchObject({ inserted: 2 });
      expect(await loader.load({ rows, startedAt: new Date() })).toMatchObject({ inserted: 0, unchanged: 2 });
    });
    const stored = await db().withSession((s) =>
      s.query<{ raw_id: string; raw_data: { v: string }; metadata: { note: string } | null; error_message: string | null; pipeline_parameters: unknown }>(
        'SELECT raw_id, raw_data, metadata, error_message, pipeline_parameters FROM bronze_copy_text ORDER BY raw_id',
      ),
    );
    expect(stored.map((r) => r.raw_id).sort()).toEqual([nasty, '\\N'].sort());
    const row = stored.find((r) => r.raw_id === nasty)!;
    expect(row.raw_data.v).toBe(nasty);
    expect(row.metadata?.note).toBe(nasty);
    expect(row.error_message).toBe(nasty);
    expect(row.pipeline_parameters).toEqual({ p: 'a\tb' });
    const [latest] = await db().withSession((s) => s.query<{ n: number }>(`SELECT count(*)::int AS n FROM bronze_copy_text_latest WHERE raw_id = $1`, ['\\N']));
    expect(latest.n).toBe(1);
  });
});
