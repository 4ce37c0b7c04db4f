import { Writable } from 'node:stream';
import { createLogger, ingest, type IngestOptions, type IngestResult, type Logger, type Source } from '@bronze/core';
import winston from 'winston';
import type { TestDatabase } from './databases.js';

/** bronze's real logger (JSON lines, secrets scrubbed), writing into a string instead of stderr. */
export function capturingLogger(): { logger: Logger; text: () => string } {
  const lines: string[] = [];
  const logger = createLogger({ json: true, level: 'debug' });
  for (const t of logger.transports) t.silent = true;
  logger.add(new winston.transports.Stream({ stream: new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }) }));
  return { logger, text: () => lines.join('') };
}

/** One ingest with captured logs: its result, or the error it threw, and what it logged. */
export async function ingestCapturingLogs(db: TestDatabase, source: Source, o: IngestOptions): Promise<{ result?: IngestResult; error?: Error; logs: string }> {
  const { logger, text } = capturingLogger();
  try {
    const result = await ingest(db, source, { logger, ...o });
    return { result, logs: text() };
  } catch (err) {
    return { error: err as Error, logs: text() };
  }
}
