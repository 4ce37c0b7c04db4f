import { compileValidator, ingest, silentLogger, type IngestOptions, type Source, type Stream } from '@bronze/core';
import { expect, it } from 'vitest';
import { createTestDatabase, describeEachEngine, tableSnapshot, type Engine } from './databases.js';

/** Generous: a second database starts in the crash case, and the machine may be busy. */
const TIMEOUT = 600_000;

export interface ConformanceOptions {
  source: Source;
  /** The options of one full run: files, env (base URLs, tokens), source options. */
  options: () => IngestOptions | Promise<IngestOptions>;
  /** Called before every ingestion (e.g. reset a fixture server's scenario). */
  beforeRun?: () => void | Promise<void>;
  /** Batch size used in the crash test, small so the crash falls after committed batches. */
  crashBatchSize?: number;
}

/**
 * A copy of the source whose readers throw after `after` records, like a crash mid-run:
 * the batches committed before it stay, the rest of the read is lost.
 */
export function crashingAfter(source: Source, after: number): Source {
  let seen = 0;
  const tick = () => {
    if (++seen > after) throw new Error(`simulated crash after ${after} records`);
  };
  const wrapStream = (s: Stream): Stream =>
    s.read
      ? {
          ...s,
          async *read(args, ctx) {
            for await (const item of s.read!(args, ctx)) {
              tick();
              yield item;
            }
          },
        }
      : s;
  return {
    ...source,
    streams: (config, input) => source.streams(config, input).map(wrapStream),
    files: source.files && {
      ...source.files,
      async *read(file, config, ctx) {
        for await (const item of source.files!.read(file, config, ctx)) {
          tick();
          yield item;
        }
      },
    },
  };
}

/**
 * The checks every source passes (the source contract): schemas compile; a full read stores
 * records; a re-run (files re-read with --force, APIs from their saved cursor) adds
 * zero rows and leaves the table identical; a crash mid-run followed by a re-run
 * gives the same table as one clean run.
 */
export function runConformance(o: ConformanceOptions): void {
  const logger = silentLogger();
  const run = async (db: Parameters<typeof ingest>[0], source: Source, extra: Partial<IngestOptions> = {}) => {
    await o.beforeRun?.();
    return ingest(db, source, { logger, ...(await o.options()), ...extra });
  };

  it(`${o.source.name}: every stream schema compiles`, async () => {
    const opts = await o.options();
    const { configureSource } = await import('@bronze/core');
    const streams = o.source.streams(configureSource(o.source, { ...process.env, ...opts.env }, opts.options ?? {}) as never, { files: opts.files });
    expect(streams.length).toBeGreaterThan(0);
    for (const s of streams) {
      expect(() => compileValidator(s.schema), s.name).not.toThrow();
      expect(JSON.parse(JSON.stringify(s.schema))).toBeTypeOf('object');
    }
  });

  describeEachEngine(`${o.source.name} conformance`, (db, engine: Engine) => {
    let clean: string[] = [];

    it('full read stores every record it reads', async () => {
      const r = await run(db(), o.source);
      expect(r.status, r.errors.join('; ')).toBe('succeeded');
      expect(r.seen).toBeGreaterThan(0);
      expect(r.inserted).toBeGreaterThan(0);
      expect(r.inserted + r.unchanged).toBe(r.seen);
      clean = await tableSnapshot(db(), o.source.name);
      expect(clean.length).toBe(r.inserted);
    }, TIMEOUT);

    it('a re-run adds zero rows and ids are stable', async () => {
      const r = await run(db(), o.source, { force: true });
      expect(r.status, r.errors.join('; ')).toBe('succeeded');
      expect(r.inserted).toBe(0);
      expect(await tableSnapshot(db(), o.source.name)).toEqual(clean);
    }, TIMEOUT);

    it('a crash mid-run, then a re-run, gives the table of one clean run', async () => {
      const other = await createTestDatabase(engine);
      try {
        const total = clean.length;
        const after = Math.max(1, Math.floor(total / 2));
        const crashed = await run(other, crashingAfter(o.source, after), { batchSize: o.crashBatchSize ?? 3 }).catch((e: Error) => e);
        if (!(crashed instanceof Error)) {
          expect(crashed.status).toBe('failed');
          expect(crashed.errors.join('; ')).toContain(`simulated crash after ${after} records`);
        } else expect(crashed.message).toContain(`simulated crash after ${after} records`);
        // It crashed where intended: part of the records committed, not none, not all.
        const partial = await tableSnapshot(other, o.source.name);
        expect(partial.length).toBeGreaterThan(0);
        expect(partial.length).toBeLessThan(total);
        const r = await run(other, o.source);
        expect(r.status, r.errors.join('; ')).toBe('succeeded');
        expect(await tableSnapshot(other, o.source.name)).toEqual(clean);
      } finally {
        await other.close();
      }
    }, TIMEOUT);
  });
}
