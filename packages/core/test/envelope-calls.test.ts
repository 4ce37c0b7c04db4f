import { expect, it } from 'vitest';
import { canonicalJson, compileValidator, recordHash, sha256Hex, toBronzeRow, Type, type Stream } from '../src/index.js';

type Doc = { id: string; when: string; body: string };
const schema = Type.Object({ id: Type.String(), when: Type.String(), body: Type.String() });
const record: Doc = { id: 'd1', when: '2024-05-01T00:00:00Z', body: 'text' };
const rowOf = (stream: Stream<Doc>, r: unknown = record) => toBronzeRow({ stream: stream as Stream, validate: compileValidator(stream.schema) }, r);

it("a stream's id, timestamp, hashText and hashInput that throw make a warning or an invalid row, never a failed batch, and name what failed", () => {
  const fails = (what: string) => () => {
    throw new Error(`${what} broke`);
  };
  const idFails = rowOf({ name: 'docs', schema, id: fails('id') });
  expect(idFails).toMatchObject({ status: 'invalid', rawId: `sha256:${recordHash(record)}` });
  expect(idFails.error).toMatch(/^id: id broke; raw_id is the record hash$/);

  const tsFails = rowOf({ name: 'docs', schema, id: (r) => r.id, timestamp: fails('timestamp') });
  expect(tsFails).toMatchObject({ status: 'warning', rawId: 'd1', sourceTimestamp: null, error: 'timestamp: timestamp broke' });

  const hashTextFails = rowOf({ name: 'docs', schema, id: (r) => r.id, hashText: fails('hashText') });
  expect(hashTextFails).toMatchObject({ status: 'warning', recordHash: recordHash(record), error: 'hashText: hashText broke; record_hash covers the whole record' });
  const hashTextNotText = rowOf({ name: 'docs', schema, id: (r) => r.id, hashText: (() => 42) as unknown as (t: string) => string });
  expect(hashTextNotText.error).toBe('hashText: did not return text; record_hash covers the whole record');

  const hashInputFails = rowOf({ name: 'docs', schema, id: (r) => r.id, hashInput: fails('hashInput') });
  expect(hashInputFails).toMatchObject({ status: 'warning', recordHash: recordHash(record), error: 'hashInput: hashInput broke; record_hash covers the whole record' });

  // A failure does not leak into the next record's calls.
  expect(rowOf({ name: 'docs', schema, id: (r) => r.id, timestamp: (r) => new Date(r.when) })).toMatchObject({ status: 'valid', error: null });
});

it("a stream's functions that work are called on the stream (this), and shape the row", () => {
  const stream = {
    name: 'docs',
    schema,
    prefix: 'doc-',
    id(this: { prefix: string }, r: Doc) {
      return this.prefix + r.id;
    },
    timestamp: (r: Doc) => new Date(r.when),
    hashInput: (r: Doc) => ({ id: r.id, body: r.body }),
  };
  const row = rowOf(stream as Stream<Doc>);
  expect(row).toMatchObject({ status: 'valid', rawId: 'doc-d1', sourceTimestamp: new Date(record.when), error: null });
  expect(row.recordHash).toBe(sha256Hex(canonicalJson({ id: 'd1', body: 'text' }).text));
  const rewritten = rowOf({ name: 'docs', schema, id: (r) => r.id, hashText: (t) => t.replace('text', 'TEXT') });
  expect(rewritten.recordHash).toBe(sha256Hex(canonicalJson(record).text.replace('text', 'TEXT')));
  // Validation still speaks for the record.
  const invalid = rowOf({ name: 'docs', schema, id: (r) => r.id }, { id: 'd2', when: 5, body: 'x' });
  expect(invalid.status).toBe('invalid');
  expect(invalid.error).toMatch(/^\/when: /);
});
