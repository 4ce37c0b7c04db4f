import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, describeOneEngine } from '@bronze/testkit';
import { afterAll, expect, it } from 'vitest';
import { exportCounts } from '../src/index.js';
import { generatedXml, nonZero, rowsPerStream, run, tempDir, topLevelCounts, workoutsWithRouteFile } from './helpers.js';

describeOneEngine('apple_health: re-exports', (db, engine) => {
  const dir = tempDir();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const base = { records: 2_000, months: 6 };
  const bigger = { records: 2_200, baseRecords: 2_000, months: 6 };

  it('a generated export: rows per stream = elements in the file', async () => {
    const xml = await generatedXml(base);
    expect(topLevelCounts(xml)).toEqual(exportCounts(base));
    writeFileSync(join(dir, 'base.xml'), xml);
    const r = await run(db(), [join(dir, 'base.xml')], { batchSize: 700 });
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    // No GPX file beside it: each workout that references one is stored with a warning naming it.
    expect(r.invalid).toBe(0);
    expect(workoutsWithRouteFile(xml)).toBeGreaterThan(0);
    expect(r.warning).toBe(workoutsWithRouteFile(xml));
    expect(await rowsPerStream(db())).toEqual(nonZero(exportCounts(base)));
  });

  it('a superset (a later re-export) adds exactly the new records', async () => {
    const xml = await generatedXml(bigger);
    writeFileSync(join(dir, 'bigger.xml'), xml);
    const before = exportCounts(base);
    const after = exportCounts(bigger);
    const r = await run(db(), [join(dir, 'bigger.xml')], { batchSize: 700 });
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    // Each stream grows by its new elements; the new export is one more export_info.
    const expected = { ...after, export_info: 2 };
    expect(await rowsPerStream(db())).toEqual(nonZero(expected));
    const added = Object.keys(after).reduce((s, k) => s + expected[k as keyof typeof after] - before[k as keyof typeof before], 0);
    expect(r.inserted).toBe(added);
    expect(r.newVersion).toBe(0);
  });

  it('a re-export whose device texts carry new memory addresses stores nothing again; raw_data keeps them', async () => {
    const other = await createTestDatabase(engine);
    try {
      const xml = await generatedXml(base);
      const moved = xml.replace(/HKDevice: 0x[0-9a-f]+/g, (m) => `${m.slice(0, -3)}fff`);
      expect(moved).not.toBe(xml);
      writeFileSync(join(dir, 'export-1.xml'), xml);
      writeFileSync(join(dir, 'export-2.xml'), moved);
      await run(other, [join(dir, 'export-1.xml')]);
      const r = await run(other, [join(dir, 'export-2.xml')]);
      expect(r.status).toBe('succeeded');
      expect(r.inserted).toBe(0);
      expect(r.unchanged).toBe(r.seen);
      const [device] = await other.withSession((s) => s.query<{ d: string }>(`SELECT raw_data->>'device' AS d FROM bronze_apple_health WHERE stream = 'records' AND raw_data ? 'device' LIMIT 1`));
      expect(device.d).toMatch(/^<<HKDevice: 0x[0-9a-f]+>/);
    } finally {
      await other.close();
    }
  });

  it('the same records with other line numbers and order are not stored again', async () => {
    const other = await createTestDatabase(engine);
    try {
      const xml = await generatedXml(base);
      // Reverse the records' order: identity depends on attributes, not position.
      const lines = xml.split('\n');
      const first = lines.findIndex((l) => l.startsWith('  <Record ') && l.endsWith('/>'));
      let last = first;
      while (lines[last + 1]?.startsWith('  <Record ') && lines[last + 1].endsWith('/>')) last++;
      const reordered = [...lines.slice(0, first), ...lines.slice(first, last + 1).reverse(), ...lines.slice(last + 1)].join('\n');
      writeFileSync(join(dir, 'a.xml'), xml);
      writeFileSync(join(dir, 'b.xml'), reordered);
      await run(other, [join(dir, 'a.xml')]);
      const r = await run(other, [join(dir, 'b.xml')]);
      expect(r.status).toBe('succeeded');
      expect(r.inserted).toBe(0);
      expect(r.unchanged).toBe(r.seen);
    } finally {
      await other.close();
    }
  });
});
