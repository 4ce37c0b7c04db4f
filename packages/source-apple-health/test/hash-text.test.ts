import { createHash } from 'node:crypto';
import { copyFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson, compileValidator, createSourceContext, openImportedFile, silentLogger, toBronzeRow, type Emitted, type PreparedStream } from '@bronze/core';
import { describe, expect, it } from 'vitest';
import source, { CORRELATION_ID_ATTRIBUTES, RECORD_ID_ATTRIBUTES, WORKOUT_ID_ATTRIBUTES } from '../src/index.js';
import { withoutDeviceAddressText } from '../src/identity.js';
import { FIXTURE, generatedXml, tempDir } from './helpers.js';

/** record_hash as every earlier version computed it: device addresses blanked in each string, then the canonical JSON. */
function referenceHash(record: unknown): string {
  const blank = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(/(HKDevice: )0x[0-9a-fA-F]+/g, '$10x');
    if (Array.isArray(v)) return v.map(blank);
    if (!v || typeof v !== 'object') return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, blank(x)]));
  };
  return createHash('sha256').update(canonicalJson(blank(record)).text).digest('hex');
}

/** raw_id as every earlier version computed it (identity.ts before its text-level rewrite). */
const blankOne = (t: string) => (t.includes('HKDevice: 0x') ? t.replace(/(HKDevice: )0x[0-9a-fA-F]+/g, '$10x') : t);
function referenceCanonical(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(blankOne(value));
  if (Array.isArray(value)) return `[${value.map(referenceCanonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${referenceCanonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
function referenceElementId(element: Record<string, unknown>, attributes: readonly string[]): string {
  const parts = attributes.map((a) => (typeof element[a] === 'string' ? (element[a] as string) : ''));
  let rest: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(element)) {
    if (typeof v === 'string' && attributes.includes(k)) continue;
    (rest ??= {})[k] = v;
  }
  const text = parts.join('\u001f');
  return createHash('sha256').update(rest ? `${text}\u001e${referenceCanonical(rest)}` : text).digest('hex').slice(0, 32);
}
const ID_ATTRIBUTES: Record<string, readonly string[]> = { records: RECORD_ID_ATTRIBUTES, workouts: WORKOUT_ID_ATTRIBUTES, correlations: CORRELATION_ID_ATTRIBUTES };

async function rowsOf(path: string) {
  const st = statSync(path);
  const file = await openImportedFile(path, { size: st.size, mtime: st.mtime, sha256: 'test' });
  const ctx = createSourceContext(source, {}, { logger: silentLogger(), signal: new AbortController().signal, root: process.cwd(), env: {} });
  const prepared = new Map<string, PreparedStream>(source.streams({}).map((s) => [s.name, { stream: s, validate: compileValidator(s.schema) }]));
  const out: { record: unknown; hash: string; stream: string; rawId: string }[] = [];
  for await (const item of source.files!.read(file, {}, ctx) as AsyncIterable<Emitted>) {
    const row = toBronzeRow(prepared.get(item.meta.stream!)!, item, file.meta);
    out.push({ record: item.record, hash: row.recordHash, stream: row.stream, rawId: row.rawId });
  }
  return out;
}

// hashText rewrites the canonical text instead of copying each record: the hash must be the
// one bronze always stored, or a re-import after the upgrade would store every record again.
describe('apple_health: record_hash (hashText) and raw_id (text-level blanking) equal those of earlier versions', () => {
  it('on the real export fixture (device addresses included) and on a generated export', async () => {
    const dir = tempDir();
    const generated = join(dir, 'export.xml');
    writeFileSync(generated, await generatedXml({ records: 10_000 }));
    const cda = join(dir, 'export_cda.xml');
    copyFileSync(join(import.meta.dirname, 'fixtures', 'health-record-visualizer_export_cda_fraction_source.xml'), cda);
    const streams = new Set<string>();
    let withDevice = 0;
    for (const path of [FIXTURE, generated, cda]) {
      const rows = await rowsOf(path);
      expect(rows.length, path).toBeGreaterThan(0);
      for (const r of rows) {
        streams.add(r.stream);
        if (JSON.stringify(r.record).includes('HKDevice: 0x')) withDevice++;
        expect(r.hash, `${r.stream} ${JSON.stringify(r.record).slice(0, 120)}`).toBe(referenceHash(r.record));
        const attributes = ID_ATTRIBUTES[r.stream];
        if (attributes) expect(r.rawId, `${r.stream} ${JSON.stringify(r.record).slice(0, 120)}`).toBe(referenceElementId(r.record as Record<string, unknown>, attributes));
      }
    }
    expect(withDevice).toBeGreaterThan(100);
    expect([...streams]).toEqual(expect.arrayContaining(['records', 'workouts', 'correlations', 'clinical_document']));
  });

  it('the blanking loop gives the text the regular expression gave, edge cases included', () => {
    const cases = [
      '"<<HKDevice: 0x2345039ff>, name:Apple Watch"', 'HKDevice: 0x', 'HKDevice: 0xZZ', 'HKDevice: 0x1', 'HKDevice: 0xaBc9>',
      'xHKDevice: 0xabcHKDevice: 0x12 HKDevice: 0x', 'HKDevice: 0x0x12', 'HKDevice:  0x12', 'no device', '', 'HKDevice: 0x12\u00e9 HKDevice: 0xFF',
    ];
    for (const text of cases) expect(withoutDeviceAddressText(text), text).toBe(blankOne(text));
  });
});
