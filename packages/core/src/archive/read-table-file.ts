import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { BronzeError } from '../errors.js';
import type { ArchivedTable } from './manifest.js';
import { countLines } from './table-text.js';

const CHUNK_CHARS = 4 << 20;

/**
 * The COPY text of one archived table in chunks of whole lines (about 4 MB each), read in
 * bounded memory. Throws, naming the file, when the file is cut short, corrupt, or differs
 * from the manifest (sha256 or row count): the caller's transaction then rolls back.
 */
export async function* archivedTableChunks(dir: string, t: ArchivedTable): AsyncGenerator<string> {
  const path = join(dir, t.file);
  const bytes = createHash('sha256');
  const content = createHash('sha256');
  const input = createReadStream(path);
  input.on('data', (b) => bytes.update(b as Buffer));
  const gunzip = input.pipe(createGunzip());
  input.on('error', (err) => gunzip.destroy(err));
  gunzip.setEncoding('utf8');
  let pending = '';
  let rows = 0;
  try {
    for await (const text of gunzip as AsyncIterable<string>) {
      pending += text;
      if (pending.length < CHUNK_CHARS) continue;
      const cut = pending.lastIndexOf('\n') + 1;
      if (cut === 0) continue;
      const chunk = pending.slice(0, cut);
      pending = pending.slice(cut);
      content.update(chunk);
      rows += countLines(chunk);
      yield chunk;
    }
  } catch (err) {
    throw new BronzeError(`${path}: the archive file is truncated or corrupt (${(err as Error).message}); nothing was imported`);
  }
  if (pending) {
    if (!pending.endsWith('\n')) throw new BronzeError(`${path}: the archive file ends in the middle of a row (truncated); nothing was imported`);
    content.update(pending);
    rows += countLines(pending);
    yield pending;
  }
  const sha = bytes.digest('hex');
  if (sha !== t.sha256) throw new BronzeError(`${path}: sha256 ${sha} differs from the manifest's ${t.sha256} (altered or truncated archive); nothing was imported`);
  if (rows !== t.rows) throw new BronzeError(`${path}: ${rows} rows, the manifest says ${t.rows}; nothing was imported`);
  if (content.digest('hex') !== t.contentSha256) throw new BronzeError(`${path}: content differs from the manifest's checksum; nothing was imported`);
}
