import { tmpdir } from 'node:os';
import { expect, it } from 'vitest';
import { describeOneEngine } from '@bronze/testkit';
import { fromJsonbSafe } from '@bronze/core';
import { file, rows, run } from './helpers.js';

const CSV = 'id,date,kg\n1,2024-01-01,80\n2,2024-01-08,79.5\n3,2024-02-01,79\n';

describeOneEngine('manual import', (db, engine) => {
  it('re-running the same import adds 0 rows and skips the file; identical bytes at another path are read, adding 0 rows', async () => {
    const p = file(`weights_${engine}.csv`, CSV);
    const first = await run(db(), [p]);
    expect(first).toMatchObject({ status: 'succeeded', seen: 3, inserted: 3, files: { imported: 1, skipped: 0, failed: 0 } });
    const again = await run(db(), [p]);
    expect(again).toMatchObject({ seen: 0, inserted: 0, files: { imported: 0, skipped: 1 } });
    const forced = await run(db(), [p], { force: true });
    expect(forced).toMatchObject({ seen: 3, inserted: 0, unchanged: 3, files: { imported: 1 } });
    const copy = file(`copy_of_weights_${engine}.csv`, CSV);
    // Skipping goes by path, streams and content: another path is read (and adds nothing).
    expect(await run(db(), [copy], { options: { stream: `weights_${engine}` } })).toMatchObject({ inserted: 0, unchanged: 3, files: { imported: 1, skipped: 0 } });
    const stored = await rows(db(), `weights_${engine}`);
    expect(stored).toHaveLength(3);
    expect(stored[0]).toMatchObject({ raw_id: '1', version: 1, raw_data: { id: '1', date: '2024-01-01', kg: '80' }, metadata: { line: 2 } });
    expect(stored[0].source_timestamp?.toISOString()).toBe('2024-01-01T00:00:00.000Z');
    expect(stored[0].file_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changing one row adds exactly one row with version 2; a longer file adds only new and changed rows', async () => {
    const name = `edits_${engine}.csv`;
    // Content distinct from other tests' files: an identical file would be skipped by its hash.
    const CSV = 'id,date,kg\n1,2023-01-01,80\n2,2024-01-08,79.5\n3,2024-02-01,79\n';
    expect(await run(db(), [file(name, CSV)])).toMatchObject({ inserted: 3 });
    const edited = await run(db(), [file(name, CSV.replace('2,2024-01-08,79.5', '2,2024-01-08,79.4'))]);
    expect(edited).toMatchObject({ seen: 3, inserted: 1, newVersion: 1, unchanged: 2 });
    const grown = await run(db(), [file(name, `${CSV.replace('2,2024-01-08,79.5', '2,2024-01-08,79.4').replace('3,2024-02-01,79', '3,2024-02-01,78.8')}4,2024-02-08,78.5\n`)]);
    expect(grown).toMatchObject({ seen: 4, inserted: 2, newVersion: 1, unchanged: 2 });
    const stored = await rows(db(), `edits_${engine}`);
    expect(stored.map((r) => `${r.raw_id}v${r.version}`).sort()).toEqual(['1v1', '2v1', '2v2', '3v1', '3v2', '4v1']);
  });

  it('rows without an id get a row hash with an occurrence number: equal rows stay two records', async () => {
    const p = file(`coffee_${engine}.csv`, 'when,price\n2024-03-01,3.5\n2024-03-01,3.5\n2024-03-02,4\n');
    expect(await run(db(), [p])).toMatchObject({ inserted: 3 });
    const ids = (await rows(db(), `coffee_${engine}`)).map((r) => r.raw_id);
    expect(ids[0]).toMatch(/^row:[0-9a-f]{64}#1$/);
    expect(ids[1]).toBe(ids[0].replace('#1', '#2'));
    expect(await run(db(), [p], { force: true })).toMatchObject({ inserted: 0, unchanged: 3 });
  });

  it('stores bad lines and schema violations with their line numbers, and every valid row', async () => {
    const jsonl = file(`log_${engine}.jsonl`, '{"id": 1, "ts": "2024-05-01T10:00:00Z"}\n{"id": 2, oops}\n\n{"id": 3}\n[1,2]\n');
    const r = await run(db(), [jsonl]);
    expect(r).toMatchObject({ status: 'succeeded', seen: 4, inserted: 4, invalid: 2 });
    const stored = await rows(db(), `log_${engine}`);
    const bad = stored.filter((x) => x.validation_status === 'invalid');
    expect(bad.map((x) => x.error_message)).toEqual([expect.stringMatching(/^line 2: /), expect.stringMatching(/Expected object/)]);
    expect(bad[0].raw_data).toEqual({ line: 2, text: '{"id": 2, oops}' });
    expect(bad[1].metadata).toEqual({ line: 5 });

    const csv = file(`short_${engine}.csv`, 'id,a,b\n1,x,y\n2,only-one\n3,p,q\n');
    expect(await run(db(), [csv])).toMatchObject({ inserted: 3, invalid: 1 });
    const c = await rows(db(), `short_${engine}`);
    expect(c.find((x) => x.validation_status === 'invalid')).toMatchObject({ error_message: 'line 3: 2 fields where the header has 3', raw_data: { line: 3, fields: ['2', 'only-one'] } });

    const json = file(`people_${engine}.json`, JSON.stringify({ exported: 'x', people: [{ pid: 'a' }, { name: 'no id' }, { pid: 'c' }] }));
    // An object is one record, the whole document, no key dropped (docs/values.md).
    expect(await run(db(), [json], { options: { idField: 'pid' } })).toMatchObject({ inserted: 1, invalid: 1 });
    const [doc] = await rows(db(), `people_${engine}`);
    expect(doc.raw_data).toEqual({ exported: 'x', people: [{ pid: 'a' }, { name: 'no id' }, { pid: 'c' }] });
    expect(doc.error_message).toMatch(/\/pid: Expected required property/);
    expect(doc.metadata).toEqual({ path: '', role: 'document' });
  });

  it('stores strings jsonb refuses (NUL, lone surrogate) losslessly as warnings, and goes on', async () => {
    const p = file(`notes_${engine}.jsonl`, '{"id": 1, "text": "a\\u0000b"}\n{"id": 2, "text": "x\\ud800y"}\n{"id": 3, "text": "fine"}\n');
    expect(await run(db(), [p])).toMatchObject({ status: 'succeeded', inserted: 3, warning: 2 });
    const stored = await rows(db(), `notes_${engine}`);
    expect(stored.map((r) => r.validation_status)).toEqual(['warning', 'warning', 'valid']);
    expect(fromJsonbSafe(stored[0].raw_data)).toEqual({ id: 1, text: 'a\u0000b' });
    expect(fromJsonbSafe(stored[1].raw_data)).toEqual({ id: 2, text: 'x\ud800y' });
    expect(await run(db(), [p], { force: true })).toMatchObject({ inserted: 0 });
  });

  it('keeps integers beyond 2^53 exact (JSON Lines and JSON documents)', async () => {
    const jsonl = file(`snowflakes_${engine}.jsonl`, '{"id": 1234567890123456789, "n": 1}\n');
    const json = file(`snowflakes2_${engine}.json`, '[{"id": 98765432109876543210, "n": 2}]');
    expect(await run(db(), [jsonl, json], { options: { stream: `snowflakes_${engine}` } })).toMatchObject({ inserted: 2, invalid: 0 });
    const stored = await db().withSession((s) => s.query<{ raw_id: string; id: string }>(
      `SELECT raw_id, raw_data->>'id' AS id FROM bronze_manual WHERE stream = $1 ORDER BY raw_id`, [`snowflakes_${engine}`]));
    expect(stored).toEqual([{ raw_id: '1234567890123456789', id: '1234567890123456789' }, { raw_id: '98765432109876543210', id: '98765432109876543210' }]);
  });

  it('names the problem with a missing file, a directory, an empty or binary file, and stores nothing', async () => {
    const before = await db().withSession((s) => s.query<{ n: number }>('SELECT count(*)::int AS n FROM bronze_manual'));
    await expect(run(db(), ['/nonexistent/file.csv'])).rejects.toThrow('/nonexistent/file.csv: no such file');
    await expect(run(db(), [tmpdir()])).rejects.toThrow(`${tmpdir()}: is a directory`);
    await expect(run(db(), [file(`empty_${engine}.csv`, '')])).rejects.toThrow(/empty_.*\.csv: is empty \(0 bytes\)/);
    const bin = await run(db(), [file(`photo_${engine}.json`, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]))]);
    expect(bin.status).toBe('failed');
    expect(bin.errors[0]).toMatch(/photo_.*\.json: looks binary \(NUL byte at offset 4\)/);
    const after = await db().withSession((s) => s.query<{ n: number }>('SELECT count(*)::int AS n FROM bronze_manual'));
    expect(after).toEqual(before);
  });
});
