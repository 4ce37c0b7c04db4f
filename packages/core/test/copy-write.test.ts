import { expect, it } from 'vitest';
import { describeEachEngine } from '@bronze/testkit';
import { ensureSourceTable, Type, toBronzeRow, compileValidator, emit, type Stream } from '../src/index.js';
import { BatchLoader } from '../src/loader/load-batch.js';
import { copyChunks, copyField } from '../src/loader/copy-text.js';

const stream: Stream<{ id: string; v: string }> = { name: 'texts', schema: Type.Object({ id: Type.String(), v: Type.String() }), id: (r) => r.id };
const prepared = { stream, validate: compileValidator(stream.schema) };

it('copyField escapes what COPY text format gives meaning to, and nothing else', () => {
  expect(copyField(null)).toBe('\\N');
  expect(copyField('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
  expect(copyField('\\N')).toBe('\\\\N');
  expect(copyField('plain “quotes” ’')).toBe('plain “quotes” ’');
  expect(copyField(42)).toBe('42');
});

it('copyChunks: UTF-8 chunks of whole lines, each kept as yielded, a line longer than a chunk whole', () => {
  // Lines of 1-, 2-, 3- and 4-byte characters, one far over the chunk size.
  const lines = Array.from({ length: 500 }, (_, i) => `${i}\tplain ü € 😀 ${'x'.repeat(i % 97)}\n`);
  lines.splice(250, 0, `long ${'€'.repeat(5000)}\n`);
  const chunks = [...copyChunks(lines, (l) => l, 1024)];
  // Collected before reading: a chunk overwritten after it was yielded would show here.
  expect(Buffer.concat(chunks).toString('utf8')).toBe(lines.join(''));
  for (const c of chunks) expect(c[c.length - 1]).toBe(0x0a);
  expect(chunks.every((c) => c.length <= 1024 || c.toString('utf8').startsWith('long '))).toBe(true);
  expect(chunks.length).toBeGreaterThan(20);
  expect([...copyChunks([], (l: string) => l)]).toEqual([]);
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
