import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeEachEngine } from '@bronze/testkit';
import { defineSource, emit, ingest, listRuns, silentLogger, Type } from '../src/index.js';
import { tempDir } from './file-source.js';
import { ProblemExamples } from '../src/loader/problem-examples.js';
import type { BronzeRow } from '../src/envelope/envelope.js';

/** JSON Lines, each line a record placed by its line; a `warn` field becomes the record's warning. */
const linesSource = defineSource({
  name: 'lines_problems',
  version: '1',
  description: 'problem examples test',
  config: Type.Object({}),
  configure: () => ({}),
  streams: () => [{ name: 'entries', schema: Type.Object({ id: Type.String(), amount: Type.Number() }), id: (r: { id: string }) => r.id }],
  files: {
    accepts: '.jsonl',
    async *read(file, _config, ctx) {
      let line = 0;
      for await (const l of ctx.files.jsonLines(file)) {
        line++;
        const v = l.value as { warn?: string; fail?: boolean };
        if (v.fail) throw new Error(`line ${line}: the reader gives up`);
        // A reader's message that names its own place (as Apple Health's do) is not named twice.
        const warning = v.warn?.replace('<place>', `${file.path} line ${line}:`);
        yield emit(v, { stream: 'entries', metadata: { line }, ...(warning ? { warning } : {}) });
      }
    },
  },
});

function writeEntries(): string {
  const lines = [
    { id: 'a', amount: 1 },
    { id: 'b', amount: 'twelve' }, // line 2: invalid
    { id: 'c', amount: 3, warn: '<place> amount rounded by the bank' }, // line 3: warning
    { id: 'd' }, // line 4: invalid
    { id: 'e', amount: null }, // line 5: invalid
    { id: 'f', amount: '7' }, // line 6: invalid, not named (the first 3 are)
  ];
  const path = join(tempDir(), 'ledger.jsonl');
  writeFileSync(path, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return path;
}

describeEachEngine('the summary names the first invalid and warning records', (db) => {
  it('names file, line and message of the first 3 invalid records, and the query that lists all of them', async () => {
    const path = writeEntries();
    const r = await ingest(db(), linesSource, { files: [path], logger: silentLogger() });
    expect(r).toMatchObject({ status: 'succeeded', inserted: 6, invalid: 4, warning: 1 });
    const [invalid, warned] = r.problems!;
    expect(invalid).toMatch(/^invalid records, the first 3 of 4: ledger\.jsonl line 2: \/amount: Expected number \| ledger\.jsonl line 4: \/amount: Expected required property; \/amount: Expected number \| ledger\.jsonl line 5: \/amount: Expected number; all: bronze sql "/);
    expect(invalid).not.toContain('line 6');
    expect(warned).toBe(
      `records with warnings, it: ledger.jsonl line 3: amount rounded by the bank; all: bronze sql "SELECT stream, raw_id, error_message FROM bronze_lines_problems WHERE pipeline_run_id = '${r.runId}' AND validation_status = 'warning'"`,
    );
    // The query the note gives lists every invalid record of the run.
    const query = /bronze sql "([^"]+)"/.exec(invalid)![1];
    const rows = await db().withSession((s) => s.query<{ raw_id: string }>(`${query} ORDER BY raw_id`));
    expect(rows.map((x) => x.raw_id)).toEqual(['b', 'd', 'e', 'f']);
    // Kept with the run: `bronze runs` shows them after the summary is gone.
    const [run] = await listRuns(db(), { source: 'lines_problems', limit: 1 });
    expect(run.notes).toEqual(r.problems);
  });

  it('a dry run names them too, without a query (nothing is stored); a re-run that stores nothing names none', async () => {
    const path = writeEntries();
    const dry = await ingest(db(), linesSource, { files: [path], dryRun: true, force: true, logger: silentLogger() });
    expect(dry.problems).toEqual([]); // the same file was stored by the test above: nothing new
    const fresh = join(tempDir(), 'other.jsonl');
    writeFileSync(fresh, '{"id":"x","amount":"?"}\n');
    const preview = await ingest(db(), linesSource, { files: [fresh], dryRun: true, logger: silentLogger() });
    expect(preview.problems).toEqual(['invalid records, it: other.jsonl line 1: /amount: Expected number']);
    const again = await ingest(db(), linesSource, { files: [path], force: true, logger: silentLogger() });
    expect(again).toMatchObject({ unchanged: 6, invalid: 0 });
    expect(again.problems).toEqual([]);
  });

  it('a run that fails after batches were committed names the invalid records they hold, in its stored notes', async () => {
    // An API stream: one invalid record, then the API fails (the run throws; its counts were 0 in the result).
    const failing = defineSource({
      name: 'failing_problems',
      version: '1',
      description: 'problem examples of a failed run',
      config: Type.Object({}),
      configure: () => ({}),
      streams: () => [{
        name: 'items',
        schema: Type.Object({ id: Type.String(), amount: Type.Number() }),
        id: (r: { id: string }) => r.id,
        async *read() {
          yield { id: 'p', amount: '?' };
          yield { id: 'q', amount: 1 };
          throw new Error('page 2: connection reset');
        },
      }],
    });
    await expect(ingest(db(), failing, { batchSize: 1, logger: silentLogger() })).rejects.toThrow(/connection reset/);
    const stored = await db().withSession((s) => s.query<{ raw_id: string }>('SELECT raw_id FROM bronze_failing_problems ORDER BY raw_id'));
    expect(stored.map((x) => x.raw_id)).toEqual(['p', 'q']);
    const [run] = await listRuns(db(), { source: 'failing_problems', limit: 1 });
    expect(run.status).toBe('failed');
    expect(run.notes).toEqual([expect.stringMatching(/^invalid records, it: items p: \/amount: Expected number; all: bronze sql "SELECT .* WHERE pipeline_run_id = '[0-9a-f-]{36}' AND validation_status = 'invalid'"$/)]);
  });

  it('a record that is not an object says what it is instead of "/"', async () => {
    const path = join(tempDir(), 'odd.jsonl');
    writeFileSync(path, '42\n"text"\n[1]\n');
    const r = await ingest(db(), linesSource, { files: [path], logger: silentLogger() });
    expect(r.problems![0]).toContain(
      'all 3: odd.jsonl line 1: the record is a number: Expected object; id: the record has no id; raw_id is the record hash' +
        ' | odd.jsonl line 2: the record is a string: Expected object; id: the record has no id; raw_id is the record hash' +
        ' | odd.jsonl line 3: the record is an array: Expected object; id: the record has no id; raw_id is the record hash',
    );
  });
});

describe('how an example names its record', () => {
  const row = (o: Partial<BronzeRow>): BronzeRow =>
    ({ stream: 's', rawId: 'row:ab', recordHash: '', rawJson: '{}', sourceTimestamp: null, status: 'invalid', error: 'bad', metadata: null, ...o }) as BronzeRow;
  const file = { path: '/data/in/book.xlsx', size: 1, sha256: '0', mtime: new Date(0) } as unknown as BronzeRow['file'];
  it('a sheet and row, an entry of a zip, a JSON path; the stream and id where nothing places it', () => {
    const e = new ProblemExamples();
    e.note(row({ file, metadata: { sheet: 'Sheet1', row: 4 } }));
    e.note(row({ file: { ...file!, path: '/x/export.zip', entry: 'a/b.json' }, metadata: { jsonPath: '$[2]' } }));
    e.note(row({ stream: 'runs', rawId: '123', error: 'x'.repeat(300) }));
    e.note(row({ error: 'a fourth: not named' }));
    expect(e.invalid.map((x) => x.slice(0, 40))).toEqual(['book.xlsx sheet "Sheet1" row 4: bad', 'export.zip!a/b.json $[2]: bad', 'runs 123: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx']);
    expect(e.invalid[2].length).toBe('runs 123: '.length + 240);
  });
});
