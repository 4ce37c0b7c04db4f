import { countSelectedRows, ingest, selectedErrorMessages, selectedRows, silentLogger, type IngestOptions, type IngestResult, type RowSelection, type Source } from '@bronze/core';
import { expect, it } from 'vitest';
import { describeEachEngine } from './databases.js';
import { HOSTILE_CASES, type HostileCase, type HostileFields } from './hostile-cases.js';
import { HOSTILE_CHECKS, type HostileRow, type Stored } from './hostile-checks.js';

export { HOSTILE_CASES, POISON_TIMESTAMPS, HOSTILE_IDS, namedId, type HostileCase, type HostileFields } from './hostile-cases.js';
export type { HostileRow } from './hostile-checks.js';

interface CommonOptions {
  /** Label of the suite, e.g. "manual jsonl". */
  name: string;
  source: Source;
  /** Extra options of every run (e.g. source options); given the file's path or the case's name. */
  options?: (pathOrName: string) => Partial<IngestOptions>;
  /** Fields the source reads the id and timestamp from (default `id`, `timestamp`), a base record, integer ids. */
  fields?: Partial<HostileFields>;
  /** The stream the hostile records land in, when a run stores other streams too (an API source reads them all). */
  stream?: string;
}

export interface HostileFileOptions extends CommonOptions {
  /**
   * Writes a file of the source's format holding these records (JSON texts, in order; one
   * may be damaged JSON) and returns its path. `name` is unique per case and engine.
   */
  writeFile(name: string, records: string[]): string | Promise<string>;
  /** Whether records after damaged JSON are still read (JSON Lines) or not (one JSON document). */
  readsPastDamage: boolean;
}

export interface HostileApiOptions extends CommonOptions {
  /**
   * Loads a fixture-server scenario in which `endpoint` answers these records as one JSON
   * array, sent as raw text (hostileBody) so damage, duplicate keys and 1e400 reach the client
   * as they are, and every other endpoint answers as usual; returns the options of a run
   * against it (env with `<SOURCE>_BASE_URL`). `name` is unique per case and engine.
   */
  serve(name: string, records: string[]): Promise<Partial<IngestOptions>>;
  /** Path of the endpoint serving the records: the error of a damaged body must name it. */
  endpoint: string;
}

export type HostileSuiteOptions = HostileFileOptions | HostileApiOptions;

/** The response body of an API case: its records as one JSON array, raw text, one per line. */
export const hostileBody = (records: string[]): string => `[\n${records.join(',\n')}\n]`;

/**
 * The hostile-input suite every source runs (issue 17): poison timestamps, NUL, surrogate
 * and huge ids, ids of every JSON type, deep nesting, damage mid-chunk, duplicate keys,
 * `__proto__`, marker look-alikes, exact numbers. Each hostile record is stored (losslessly,
 * or `invalid`/`warning` with its reason) or reported, the rest is intact, and a re-run adds
 * nothing (a forced re-import of the file; a full refresh of the API).
 *
 * File sources (`writeFile`): a case's rows are those of its file. Damaged JSON keeps every
 * record before it, and those after it when the format reads past damage (JSON Lines); the
 * damage is named with its line.
 *
 * API sources (`serve`): a case's rows are those of the stream written by the case's first
 * run (pipeline_run_id). A damaged response body is atomic: JSON is parsed whole, so the
 * case expects the run to fail naming the endpoint and "malformed JSON" (after core's
 * retries), nothing of that response stored, and the next run, once the API answers the
 * records without the damaged one, clean: all of them stored, then a re-run adds nothing.
 */
export function runHostileSuite(o: HostileSuiteOptions): void {
  const fields: HostileFields = { ...o.fields, id: o.fields?.id ?? 'id', timestamp: o.fields?.timestamp ?? 'timestamp' };
  const api = 'serve' in o;

  describeEachEngine(`${o.name}: hostile input`, (db, engine) => {
    const name = o.source.name;
    const stream = o.stream;
    const select = (sel: RowSelection) => db().withSession((s) => selectedRows<HostileRow>(s, name, { ...sel, stream }));
    /** The error messages of every row of the case, whatever its stream (a source may report damage in another). */
    const messages = (sel: RowSelection) => db().withSession((s) => selectedErrorMessages(s, name, sel));
    /** Rows of the stream (or table) so far; 0 before the source's first run made its table. */
    const count = () => db().withSession((s) => countSelectedRows(s, name, { stream }));

    /** One run of the case: its file, or the API serving its records. */
    const runCase = async (name: string, records: string[], again = false): Promise<{ result: IngestResult; path?: string; rows: () => Promise<HostileRow[]>; messages: () => Promise<string[]> }> => {
      const base = { logger: silentLogger() };
      if (!api) {
        const path = await o.writeFile(name, records);
        const result = await ingest(db(), o.source, { ...base, files: [path], force: again, ...o.options?.(path) });
        return { result, path, rows: () => select({ filePath: path }), messages: () => messages({ filePath: path }) };
      }
      const served = await o.serve(name, records);
      const result = await ingest(db(), o.source, { ...base, fullRefresh: again, ...o.options?.(name), ...served });
      return { result, rows: () => select({ runId: result.runId! }), messages: () => messages({ runId: result.runId! }) };
    };

    /** Imports the case, checks what every case must hold, and hands the rows to the case's check. */
    const importCase = (c: HostileCase) =>
      it(c.name, async () => {
        let records = c.records(fields);
        const name = `${c.name}_${engine}`;
        if (api && c.damage !== undefined) {
          // One damaged body fails its whole response (a thrown error or a failed result).
          const before = await count();
          const served = await o.serve(name, records);
          const run = ingest(db(), o.source, { logger: silentLogger(), ...o.options?.(name), ...served });
          const failure = await run.then((r) => (r.status === 'failed' ? r.errors.join('; ') : undefined), (e: Error) => e.message);
          expect(failure, 'a damaged response body fails the run').toBeDefined();
          expect(failure).toMatch(/malformed JSON/);
          expect(failure, 'the failure names the endpoint').toContain(o.endpoint);
          expect(await count(), 'nothing of a damaged response is stored').toBe(before);
          // The next run, the API answering without the damage, is clean.
          records = records.filter((_, i) => i !== c.damage);
        }
        const first = await runCase(name, records);
        const stored = await first.rows();
        // A file read stops at damage unless its format reads past it (JSON Lines).
        const expected = c.damage !== undefined && 'readsPastDamage' in o && !o.readsPastDamage ? c.damage : records.length;
        expect(stored.length, `${c.name}: rows stored (${first.result.errors.join('; ')})`).toBe(expected);
        const clean = c.damage === undefined || api;
        if (clean) expect(first.result.status, first.result.errors.join('; ')).toBe('succeeded');
        const all = await count();
        const check: Stored = { db: db(), source: o.source.name, fields, rows: stored, messages: await first.messages(), result: first.result, records, path: first.path, api };
        await HOSTILE_CHECKS[c.name](check);
        // Nothing is stored twice, and nothing stored is lost, when the records are read again.
        const again = await runCase(name, records, true);
        if (clean) expect(again.result.status, again.result.errors.join('; ')).toBe('succeeded');
        expect(again.result.inserted, `${c.name}: a re-run adds nothing`).toBe(0);
        expect(await count()).toBe(all);
      }, 120_000);

    for (const c of HOSTILE_CASES) importCase(c);
  });
}
