import { expect, it } from 'vitest';
import { describeEachEngine } from '@bronze/testkit';
import { compileValidator, emit, ensureSourceTable, toBronzeRow, Type, type Stream } from '../src/index.js';
import { BatchLoader } from '../src/loader/load-batch.js';
import { Batcher } from '../src/ingest/batcher.js';
import { CopyBodies } from '../src/loader/copy-body.js';
import { copyRowsText } from '../src/loader/write-rows.js';

const stream: Stream<{ id: string; v: unknown; at?: string }> = {
  name: 'bodies',
  schema: Type.Object({ id: Type.String() }),
  id: (r) => r.id,
  timestamp: (r) => (r.at ? new Date(r.at) : undefined),
};
const prepared = { stream, validate: compileValidator(stream.schema) };
const constants = { source: 'bodies', runId: '00000000-0000-0000-0000-000000000000', environment: 'test', pipelineVersion: 't', parametersJson: '{}', lineageType: 'file' as const };
const file = { path: '/x/a\tb.json', sha256: 'f'.repeat(64), size: 99 };

/** Rows with COPY's special characters, 1- to 4-byte UTF-8, NULL columns, warnings, and one far over a chunk. */
function rows() {
  const nasty = 'tab\there\nnew\rcr\\back \\N “q” ü € 😀';
  return Array.from({ length: 3000 }, (_, i) => {
    const v = i === 1234 ? 'é'.repeat(400_000) : i % 5 === 0 ? nasty : i % 5 === 1 ? { nested: [i, nasty, null] } : `v${i}${'x'.repeat(i % 600)}`;
    const record = { id: i % 7 === 0 ? `${nasty}${i}` : `id${i}`, v, at: i % 3 ? `2024-0${(i % 9) + 1}-02T03:04:05Z` : undefined };
    return toBronzeRow(prepared, i % 4 === 0 ? emit(record, { metadata: { line: i, note: nasty }, warning: i % 8 === 0 ? nasty : undefined }) : record, file);
  });
}

/** The COPY lines without their last four columns (the clock's: lineage_timestamp … processing_duration). */
const copyText = (list: ReturnType<typeof rows>) =>
  Buffer.concat([...copyRowsText('t', constants, list.map((row, i) => ({ row, version: (i % 3) + 1 })), new Date(0)).chunks] as Uint8Array[])
    .toString('utf8')
    .split('\n')
    .map((line) => line.split('\t').slice(0, -4).join('\t'));

it('rows held as COPY bytes give the COPY text of the same rows with their JSON, byte for byte', () => {
  const expected = copyText(rows());
  const held = rows();
  const bodies = new CopyBodies();
  for (const r of held) bodies.hold(r);
  expect(held.every((r) => r.rawJson === null && r.copyBody)).toBe(true);
  const chunks = bodies.takeChunks();
  // ~1.3 MB of bodies: several pooled chunks, and one of its own for the 800 kB row.
  expect(chunks.length).toBeGreaterThan(3);
  expect(chunks.some((c) => c.length > 1 << 18)).toBe(true);
  expect(copyText(held)).toEqual(expected);
  expect(expected).toHaveLength(3001);
  expect(expected[0]).toContain('\\\\N “q” ü € 😀');
});

it('a released chunk carries later rows; a row held twice is refused', () => {
  const bodies = new CopyBodies();
  const first = rows().slice(0, 500);
  for (const r of first) bodies.hold(r);
  const chunks = bodies.takeChunks();
  bodies.release(chunks);
  const later = rows().slice(0, 10);
  for (const r of later) bodies.hold(r);
  expect(chunks).toContain(later[0].copyBody!.chunk);
  expect(() => bodies.hold(later[0])).toThrow(/already in its batch's COPY bytes/);
});

describeEachEngine('a batcher holding rows as COPY bytes', (db) => {
  it("stores every row exactly while later batches reuse the chunks of written ones, and leaves no row pointing into a chunk", async () => {
    const expected = rows();
    const added = rows();
    await db().withSession(async (s) => {
      await ensureSourceTable(s, 'bodies');
      const [{ id }] = await s.query<{ id: string }>(`INSERT INTO bronze_runs (source) VALUES ('bodies') RETURNING id`);
      const loader = new BatchLoader(s, { ...constants, runId: id });
      expect(loader.copiesRows).toBe(true);
      // Small batches: many in flight one after the other, each taking chunks another released.
      const batcher = new Batcher(loader, 100);
      for (const r of added) await batcher.add(r);
      expect(await batcher.finish()).toMatchObject({ inserted: 3000 });
    });
    expect(added.every((r) => r.rawJson === null && r.copyBody === undefined)).toBe(true);
    const stored = await db().withSession((s) =>
      s.query<{ raw_id: string; raw: string; record_hash: string; error_message: string | null; metadata: unknown; ts: Date | null }>(
        'SELECT raw_id, raw_data::text AS raw, record_hash, error_message, metadata, source_timestamp AS ts FROM bronze_bodies',
      ),
    );
    expect(stored).toHaveLength(3000);
    const byId = new Map(stored.map((r) => [r.raw_id, r]));
    for (const r of expected) {
      const got = byId.get(r.rawId)!;
      expect(JSON.parse(got.raw)).toEqual(JSON.parse(r.rawJson));
      expect([got.record_hash, got.error_message, got.metadata, got.ts?.toISOString() ?? null]).toEqual([r.recordHash, r.error, r.metadata, r.sourceTimestamp?.toISOString() ?? null]);
    }
  });
});
