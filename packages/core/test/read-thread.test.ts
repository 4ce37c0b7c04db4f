import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import winston from 'winston';
import { afterAll, expect, it } from 'vitest';
import { describeEachEngine, tableSnapshot } from '@bronze/testkit';
import { ConfigError, ingest, type Source } from '../src/index.js';
import { readerThreadPlan } from '../src/ingest/worker-reader.js';
// @ts-expect-error plain JavaScript on purpose: the worker thread imports it as it is.
import threadSource from './fixtures/thread-source.mjs';

const source = threadSource as Source;
const dir = mkdtempSync(join(tmpdir(), 'bronze-thread-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** N JSON lines (ids repeat every 1,000 lines), with `extra` lines spliced in at their line numbers. */
function jsonl(name: string, n: number, extra: Record<number, string> = {}): string {
  const lines: string[] = [];
  for (let i = 1; i <= n; i++) lines.push(extra[i] ?? JSON.stringify({ id: `r${i % 1000}`, n: i, pad: 'x'.repeat(i % 300) }));
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

function capturingLogger(): { logger: winston.Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({ objectMode: true, write: (info: { level: string; message: string }, _e, cb) => (lines.push(`${info.level}: ${info.message}`), cb()) });
  return { logger: winston.createLogger({ level: 'debug', transports: [new winston.transports.Stream({ stream: sink })] }), lines };
}

const THREAD_LINE = 'read and enveloped in a worker thread';

describeEachEngine('a file read in a worker thread', (db, engine) => {
  const run = (files: string[], setting: string, logger = capturingLogger().logger) =>
    ingest(db(), source, { files, force: true, logger, env: { BRONZE_READ_WORKER: setting } });

  it('stores what one thread stores: every row, repeats numbered, invalid lines kept; logs and notes reach the run', async () => {
    const file = jsonl(`same-${engine}.jsonl`, 2_345, { 17: 'not json', 1200: JSON.stringify({ id: 'w', n: 0, warn: 'a warning from the reader', note: 'a note from the reader' }) });
    const one = await run([file], 'off');
    expect(one.status).toBe('succeeded');
    const reference = await tableSnapshot(db(), 'thread_items');
    expect(reference.length).toBe(2_345);
    await db().withSession((s) => s.exec('TRUNCATE bronze_thread_items, bronze_thread_items_latest'));

    const { logger, lines } = capturingLogger();
    const threaded = await run([file], 'on', logger);
    expect(lines.some((l) => l.includes(THREAD_LINE))).toBe(true);
    expect(threaded.status, threaded.errors.join('; ')).toBe('succeeded');
    const withoutRun = (r: typeof one) => ({ ...r, runId: '', seconds: 0, problems: r.problems?.map((p) => p.replaceAll(r.runId!, '<run>')) });
    expect(withoutRun(threaded)).toEqual({ ...withoutRun(one), notes: one.notes });
    expect(threaded.problems?.[0]).toMatch(/^invalid records, it: same-\w+\.jsonl line 17: unexpected token/);
    expect(threaded.invalid).toBe(1);
    expect(threaded.notes).toContain('a note from the reader');
    expect(lines).toContain('warn: a warning from the reader');
    expect(await tableSnapshot(db(), 'thread_items')).toEqual(reference);
  });

  // ctx.files' word on a file's decoding is the run's note (TextOptions.note): the worker sets
  // its ctx.note after the context is made, so the readers must ask for it at each call.
  it("a word of ctx.files' readers (a UTF-8 file with a damaged byte) reaches the run from the thread too", async () => {
    const path = join(dir, `damaged-utf8-${engine}.jsonl`);
    writeFileSync(path, Buffer.concat([Buffer.from('{"id": "a", "n": 1, "city": "Zürich"}\n'), Buffer.from([0x7b, 0x22, 0x69, 0x64, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x2c, 0x22, 0x6e, 0x22, 0x3a, 0x32, 0x7d, 0x0a])]));
    const said = `${path}: read as windows-1252, since 1 byte of it (the first at byte 46) is not UTF-8; but it holds 1 UTF-8 character (the first at byte 30: "ü", now read as "Ã¼")`;
    for (const setting of ['off', 'on']) {
      const { logger, lines } = capturingLogger();
      const r = await run([path], setting, logger);
      expect(lines.some((l) => l.includes(THREAD_LINE))).toBe(setting === 'on');
      expect(r.status, r.errors.join('; ')).toBe('succeeded');
      expect(r.notes.join('\n')).toContain(said);
    }
  });

  it('a reader failing part-way: the rows before the failure are stored, the file fails with the reader\'s message, as in one thread', async () => {
    const file = jsonl(`boom-${engine}.jsonl`, 1_800, { 1_234: JSON.stringify({ boom: true }) });
    const results = [];
    for (const setting of ['off', 'on']) {
      await db().withSession((s) => s.exec('TRUNCATE bronze_thread_items, bronze_thread_items_latest'));
      const r = await run([file], setting);
      const rows = await db().withSession((s) => s.query<{ n: number }>("SELECT count(*)::int AS n FROM bronze_thread_items"));
      results.push({ status: r.status, errors: r.errors, failed: r.files.failed, rows: rows[0].n, snapshot: await tableSnapshot(db(), 'thread_items') });
    }
    expect(results[0]).toMatchObject({ status: 'failed', errors: [`${file}: boom at line 1234`], failed: 1, rows: 1_233 });
    expect(results[1]).toEqual(results[0]);
  });
});

it('BRONZE_READ_WORKER: off, on, auto (embedded database, built modules, big files), anything else refused; a wrapped source is read in its own thread', async () => {
  expect(await readerThreadPlan(source, { BRONZE_READ_WORKER: 'off' }, 'pglite')).toBeUndefined();
  expect(await readerThreadPlan(source, { BRONZE_READ_WORKER: 'on' }, 'postgres')).toMatchObject({ module: source.module, minBytes: 0 });
  // A copy is not what the thread would import: its reader must run where it was given.
  expect(await readerThreadPlan({ ...source }, { BRONZE_READ_WORKER: 'on' }, 'pglite')).toBeUndefined();
  expect(await readerThreadPlan({ ...source, module: undefined }, { BRONZE_READ_WORKER: 'on' }, 'pglite')).toBeUndefined();
  await expect(readerThreadPlan(source, { BRONZE_READ_WORKER: 'yes' }, 'pglite')).rejects.toThrow(ConfigError);
  // auto: the embedded database only; this test runs core's TypeScript, so `auto` stays in
  // one thread here (the built CLI's case is apps/runner/test/read-thread.test.ts).
  expect(await readerThreadPlan(source, {}, 'postgres')).toBeUndefined();
  expect(await readerThreadPlan(source, {}, 'pglite')).toBeUndefined();
});
