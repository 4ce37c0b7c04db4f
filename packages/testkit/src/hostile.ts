import { fromJsonbSafe, ingest, rowsOfFile, silentLogger, storedNumber, type IngestOptions, type IngestResult, type Source } from '@bronze/core';
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { describeEachEngine, type TestDatabase } from './databases.js';
import { HOSTILE_CASES, HOSTILE_IDS, NUMBERS, type HostileCase, type HostileFields } from './hostile-cases.js';

export { HOSTILE_CASES, POISON_TIMESTAMPS, HOSTILE_IDS, type HostileCase, type HostileFields } from './hostile-cases.js';

export interface HostileSuiteOptions {
  /** Label of the suite, e.g. "manual jsonl". */
  name: string;
  source: Source;
  /**
   * Writes a file of the source's format holding these records (JSON texts, in order; one
   * may be damaged JSON) and returns its path. `name` is unique per case and engine.
   */
  writeFile(name: string, records: string[]): string | Promise<string>;
  /** Extra options of every run (e.g. source options). */
  options?: (path: string) => Partial<IngestOptions>;
  /** Fields the source reads the id and timestamp from; default `id` and `timestamp`. */
  fields?: Partial<HostileFields>;
  /** Whether records after damaged JSON are still read (JSON Lines) or not (one JSON document). */
  readsPastDamage: boolean;
}

interface Row {
  raw_id: string;
  validation_status: string;
  error_message: string | null;
  raw_data: Record<string, unknown>;
  source_timestamp: Date | null;
  metadata: Record<string, unknown> | null;
}

/**
 * The hostile-input suite every file source runs (issue 17): poison timestamps, NUL,
 * surrogate and huge ids, ids of every JSON type, deep nesting, a file broken mid-chunk,
 * duplicate keys, `__proto__`, marker look-alikes, exact numbers. Each hostile record is
 * stored (losslessly, or `invalid`/`warning` with its reason) or reported, the rest of the
 * file is intact, and a forced re-run adds nothing.
 */
export function runHostileSuite(o: HostileSuiteOptions): void {
  const fields: HostileFields = { id: o.fields?.id ?? 'id', timestamp: o.fields?.timestamp ?? 'timestamp' };

  describeEachEngine(`${o.name}: hostile input`, (db, engine) => {
    const rows = (path: string) =>
      db().withSession((s) => rowsOfFile<Row>(s, o.source.name, path));
    const run = (path: string, force = false): Promise<IngestResult> => ingest(db(), o.source, { logger: silentLogger(), files: [path], force, ...o.options?.(path) });

    /** Imports the case's file, checks what every case must hold, and hands the rows to `check`. */
    const importCase = (c: HostileCase, check: (rows: Row[], result: IngestResult, records: string[], path: string) => void | Promise<void>) =>
      it(c.name, async () => {
        const records = c.records(fields);
        const path = await o.writeFile(`${c.name}_${engine}`, records);
        const result = await run(path);
        const stored = await rows(path);
        const expected = c.damage === undefined ? records.length : o.readsPastDamage ? records.length : c.damage;
        expect(stored.length, `${c.name}: rows stored (${result.errors.join('; ')})`).toBe(expected);
        if (c.damage === undefined) expect(result.status, result.errors.join('; ')).toBe('succeeded');
        await check(stored, result, records, path);
        // Nothing is stored twice, and nothing stored is lost, when the file is read again.
        const again = await run(path, true);
        expect(again.inserted, `${c.name}: a forced re-run adds nothing`).toBe(0);
        expect((await rows(path)).length).toBe(stored.length);
      }, 120_000);

    const byId = (stored: Row[]) => new Map(stored.map((r) => [String(fromJsonbSafe(r.raw_data[fields.id] ?? null)), r]));
    const cases = new Map(HOSTILE_CASES.map((c) => [c.name, c]));

    importCase(cases.get('poison_timestamps')!, (stored) => {
      const m = byId(stored);
      expect(m.get('ts-0')!.source_timestamp).not.toBeNull();
      for (let i = 0; i < 5; i++) expect(m.get(`poison-${i}`)!.source_timestamp, `poison-${i}`).toBeNull();
      // ISO texts every source reads as dates: the warning names the value.
      expect(m.get('poison-0')).toMatchObject({ validation_status: 'warning', error_message: expect.stringMatching(/0000-01-01/) });
      expect(m.get('poison-1')).toMatchObject({ validation_status: 'warning', error_message: expect.stringMatching(/10000-01-01T07:59:59/) });
    });

    importCase(cases.get('hostile_ids')!, (stored) => {
      expect(new Set(stored.map((r) => r.raw_id)).size).toBe(stored.length);
      const ids = stored.map((r) => fromJsonbSafe(r.raw_data[fields.id]));
      for (const id of HOSTILE_IDS) expect(ids).toContain(id);
      for (const r of stored) expect(r.raw_id.length).toBeLessThan(2700);
    });

    importCase(cases.get('ids_of_every_type')!, (stored) => {
      expect(new Set(stored.map((r) => r.raw_id)).size, 'no two ids merged').toBe(stored.length);
      expect(stored.filter((r) => r.raw_id === '[object Object]').length).toBe(1);
      for (const r of stored) if (typeof r.raw_data[fields.id] !== 'string') expect(r.validation_status).toBe('invalid');
    });

    importCase(cases.get('deep_nesting')!, (stored) => {
      const deep = stored.find((r) => r.validation_status === 'invalid')!;
      expect(deep.error_message).toMatch(/nested deeper than/);
      expect(stored.filter((r) => r.validation_status === 'valid').length).toBe(2);
    });

    importCase(cases.get('broken_mid_chunk')!, (stored, result, _records, path) => {
      const before = stored.filter((r) => /^ok-(\d+)$/.test(String(r.raw_data[fields.id] ?? '')) && Number(String(r.raw_data[fields.id]).slice(3)) < 300);
      expect(before.length, 'every record before the damage').toBe(300);
      // The damage is named with its line, and that line of the file holds the broken record.
      const lines = [...stored.map((r) => r.error_message ?? ''), ...result.errors].flatMap((e) => [...e.matchAll(/line (\d+)/g)].map((m) => Number(m[1])));
      expect(lines.length, 'the damage is named with its line').toBeGreaterThan(0);
      const text = readFileSync(path, 'utf8').split('\n');
      expect(lines.some((n) => text[n - 1]?.includes('"broken"')), `line ${lines.join('/')} holds the damage`).toBe(true);
    });

    importCase(cases.get('duplicate_keys')!, (stored) => {
      const dup = byId(stored).get('dup')!;
      expect(dup.validation_status).toBe('warning');
      expect(dup.error_message).toMatch(/duplicate key "v"/);
      expect(dup.raw_data.v).toEqual({ kept: 'too' });
      expect(JSON.stringify(dup.metadata)).toContain('"earlier":["1"]');
    });

    importCase(cases.get('proto_keys')!, (stored) => {
      const r = byId(stored).get('proto')!;
      expect(Object.getOwnPropertyDescriptor(r.raw_data, '__proto__')?.value).toEqual({ polluted: true });
      expect(Object.getOwnPropertyDescriptor(r.raw_data.o as object, '__proto__')?.value).toBe(1);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    importCase(cases.get('marker_lookalikes')!, (stored, _result, records) => {
      expect(fromJsonbSafe(stored[0].raw_data)).toEqual(JSON.parse(records[0]));
    });

    importCase(cases.get('exact_numbers')!, async (stored) => {
      expect(stored[0].validation_status).toBe('valid');
      for (const [k, literal] of Object.entries(NUMBERS)) {
        const r = await db().withSession((s) => storedNumber(s, o.source.name, fields.id, 'numbers', k, literal));
        expect(r.same, `${k} = ${literal}`).toBe(true);
        if (k === 'c') expect(r.text, 'jsonb keeps the scale of 1.10').toBe('1.10');
      }
    });
  });
}
