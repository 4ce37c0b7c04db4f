import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Writable } from 'node:stream';
import winston from 'winston';
import { defineSource, emit, Type, type Logger } from '../src/index.js';

/**
 * A file source over JSON Lines: one stream per file, named after the file (or
 * --stream), id from `id` (or meta.countedId `row:<text>` when a line has none).
 * `onRecord` runs before each record is yielded (to abort mid-file).
 */
export function jsonlSource(name: string, onRecord?: (n: number) => void) {
  return defineSource({
    name,
    version: '1',
    description: 'test file source',
    config: Type.Object({ stream: Type.Optional(Type.String()) }),
    configure: (_env, o) => (o.stream ? { stream: String(o.stream) } : {}),
    streams: (config: { stream?: string }, input) =>
      [...new Set((input?.files ?? []).map((f) => config.stream ?? basename(f).replace(/\..*$/, '')))].map((s) => ({
        name: s,
        schema: Type.Object({ id: Type.Optional(Type.String()) }),
        id: (r: { id: string }) => r.id,
      })),
    files: {
      accepts: '.jsonl',
      async *read(file, config: { stream?: string }, ctx) {
        const stream = config.stream ?? basename(file.path).replace(/\..*$/, '');
        let n = 0;
        for await (const l of ctx.files.jsonLines(file)) {
          const v = l.value as { id?: string };
          onRecord?.(++n);
          yield emit(v, { stream, ...(v.id === undefined ? { countedId: `row:${l.text}` } : {}) });
        }
      },
    },
  });
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'bronze-files-'));
}

/** Writes lines of {id, v} (id undefined: a row without id). */
export function writeJsonl(path: string, rows: { id?: string; v: unknown }[]): string {
  writeFileSync(path, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return path;
}

/** A logger that keeps its messages (level: message), to assert warnings. */
export function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    objectMode: true,
    write(info: { level: string; message: string }, _enc, cb) {
      lines.push(`${info.level}: ${info.message}`);
      cb();
    },
  });
  return { logger: winston.createLogger({ level: 'debug', transports: [new winston.transports.Stream({ stream: sink })] }), lines };
}
