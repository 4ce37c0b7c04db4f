import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Emitted } from '@bronze/core';
import { describe, expect, it } from 'vitest';
import { CONTENT_BYTES, readOtherFile } from '../src/parts/other-file.js';
import { FIXTURES } from './helpers.js';

/** Real samples (fixtures/README.md): a Chrome BrowserHistory.json (7 visits) and a YouTube comments CSV (2 rows, one spanning two lines). */
const HISTORY = readFileSync(join(FIXTURES, 'large-other', 'BrowserHistory.json'));
const COMMENTS = readFileSync(join(FIXTURES, 'large-other', 'comments.csv'));
const VISITS = (JSON.parse(HISTORY.toString('utf8')) as { 'Browser History': Record<string, unknown>[] })['Browser History'];

/** The file in small chunks, so what is learned across chunk boundaries is tested too. */
function file(path: string, bytes: Buffer, chunk = 7) {
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) parts.push(bytes.subarray(i, i + chunk));
  return { path, label: path, open: () => Readable.from(parts) };
}

/** A row's raw_id: given by the reader, else the stream's id (the identity row's path). */
const idOf = (r: Emitted) => r.meta.rawId ?? (r.record as { path: string }).path;

async function read(path: string, bytes: Buffer, limit?: number, chunk?: number): Promise<Emitted[]> {
  const out: Emitted[] = [];
  for await (const e of readOtherFile(file(path, bytes, chunk), undefined, limit)) out.push(e);
  return out;
}

/** sha256 of the element's JSON with sorted keys, computed here, not with core's canonicalJson (plain values only). */
const sorted = (v: unknown): unknown => (Array.isArray(v) ? v.map(sorted) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])])) : v);
const hashOf = (v: unknown) => createHash('sha256').update(JSON.stringify(sorted(v))).digest('hex');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('google takeout: an `other` file over the content limit is split', () => {
  it('a real BrowserHistory.json over the limit: one row per visit, with a content-hash id, then its identity row', async () => {
    const path = 'Takeout/Chrome/BrowserHistory.json';
    const rows = await read(path, HISTORY, 100);
    expect(VISITS.length).toBe(7); // python3: len(json.load(f)['Browser History'])
    expect(rows.length).toBe(VISITS.length + 1); // the rest is {}: no rest row
    expect(rows.slice(0, 7).map((r) => r.record)).toEqual(VISITS.map((element) => ({ path, key: 'Browser History', element })));
    expect(rows.slice(0, 7).map((r) => r.meta.rawId)).toEqual(VISITS.map((v) => `${path}|Browser History|sha256:${hashOf(v)}`));
    expect(rows[7].record).toEqual({ path, size: HISTORY.length, sha256: sha(HISTORY) });
    expect(rows[7].meta.warning).toBeUndefined();
  });

  it('at the limit the file is kept whole, as before', async () => {
    const rows = await read('Takeout/Chrome/BrowserHistory.json', HISTORY, HISTORY.length);
    expect(rows.length).toBe(1);
    expect((rows[0].record as { content: unknown }).content).toBeDefined();
  });

  it('a top-level array, members that are arrays (escaped names too), and the rest of the document', async () => {
    const doc = `{"title": "x", "a\\u0020b": [${VISITS.slice(0, 2).map((v) => JSON.stringify(v)).join(',')}], "n": {"deep": [1, 2]}, "e": [], "s": "[not an array]"}`;
    const rows = await read('Takeout/Meine Aktivitäten/x.json', Buffer.from(doc), 100, 3);
    expect(rows.map(idOf)).toEqual([...VISITS.slice(0, 2).map((v) => `Takeout/Meine Aktivitäten/x.json|a b|sha256:${hashOf(v)}`), 'rest:Takeout/Meine Aktivitäten/x.json', 'Takeout/Meine Aktivitäten/x.json']);
    // Arrays below the top-level members stay in the rest, whole.
    expect(rows[2].record).toEqual({ path: 'Takeout/Meine Aktivitäten/x.json', rest: { title: 'x', n: { deep: [1, 2] }, s: '[not an array]' } });
    const top = await read('Takeout/x.json', Buffer.from(JSON.stringify(VISITS)), 10);
    expect(top.map((r) => r.record)).toEqual([...VISITS.map((element) => ({ path: 'Takeout/x.json', key: null, element })), expect.objectContaining({ path: 'Takeout/x.json' })]);
    expect(top[0].meta.rawId).toBe(`Takeout/x.json|sha256:${hashOf(VISITS[0])}`);
  });

  it('a rest too large to hold, or damaged JSON: the identity row says why; records before a damage are kept', async () => {
    const big = await read('Takeout/x.json', Buffer.from(`{"a": {"inner": [1, 2, 3]}, "b": [1]}`), 10);
    expect(big.map(idOf)).toEqual(['Takeout/x.json']);
    expect(big[0].meta.warning).toMatch(/^not split: 34 bytes of it are outside the arrays of its top level/);
    const cut = HISTORY.subarray(0, HISTORY.indexOf('"Graphene-Python"'));
    const damaged = await read('Takeout/Chrome/BrowserHistory.json', cut, 100);
    expect(damaged.length).toBe(3); // two whole visits, then the identity row
    expect(damaged[2].meta.warning).toMatch(/^split up to a damage: .*not valid JSON/);
  });

  it('a real CSV over the limit: one row per record (a quoted field spanning lines is one record)', async () => {
    const path = 'Takeout/YouTube und YouTube Music/Kommentare/Kommentare.csv';
    const rows = await read(path, COMMENTS, 100);
    expect(rows.length).toBe(3); // python3 csv.reader: 2 records below the header (blank lines skipped), + identity
    expect((rows[0].record as { row: Record<string, string> }).row['Comment ID']).toBe('UgytHqobEtqoKm_-pYB4AaABAg');
    expect((rows[0].record as { row: Record<string, string> }).row['Comment Text']).toContain('\n');
    expect(rows[0].meta.rawId).toBe(`${path}|sha256:${hashOf((rows[0].record as { row: unknown }).row)}`);
    expect(rows[2].record).toEqual({ path, size: COMMENTS.length, sha256: sha(COMMENTS) });
  });

  it('real visits repeated past the real 16 MiB limit: every one is a row (repeats share an id, numbered by core)', async () => {
    const n = Math.ceil(CONTENT_BYTES / 180);
    const text = `{"Browser History": [${Array.from({ length: n }, (_, i) => JSON.stringify(VISITS[i % VISITS.length])).join(',\n')}]}`;
    expect(Buffer.byteLength(text)).toBeGreaterThan(CONTENT_BYTES);
    const rows = await read('Takeout/Chrome/BrowserHistory.json', Buffer.from(text), undefined, 64 * 1024);
    expect(rows.length).toBe(JSON.parse(text)['Browser History'].length + 1);
    expect(new Set(rows.slice(0, -1).map((r) => r.meta.rawId)).size).toBe(VISITS.length);
  });
});
