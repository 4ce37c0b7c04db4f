import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorMessage, openImportedFile, type ByteSource, type Emitted, type ImportedFile, type SourceContext } from '@bronze/core';
import { MAX_FIT_BYTES, readFitRows } from '@bronze/fit';
import { classifyEntry } from './export-kinds.js';
import { readCapped } from './capped-read.js';
import { folderJsonRows, knownJsonRows, otherRow, OTHER_CONTENT_LIMIT } from './json-entries.js';

/** Zips inside zips (the export's uploaded-files parts) are read this deep, no deeper. */
const MAX_ZIP_DEPTH = 2;

/**
 * One file of the export, by its kind. A JSON file that breaks part-way keeps the rows read
 * before the damage and adds an invalid export_other row naming the entry and the problem,
 * so the rest of the archive is still imported.
 */
export async function* exportEntryRows(source: ByteSource, path: string, ctx: SourceContext, depth: number): AsyncIterable<Emitted> {
  const kind = classifyEntry(path);
  if (kind.type === 'fit') {
    yield* readFitRows(await readCapped(source, MAX_FIT_BYTES), { entry: path });
  } else if (kind.type === 'zip' && depth < MAX_ZIP_DEPTH) {
    yield* nestedZipRows(source, path, ctx, depth + 1);
  } else if (kind.type === 'known') {
    try {
      yield* knownJsonRows(source, kind.stream, kind.kind, path, ctx);
    } catch (err) {
      yield* otherRow(path, await readCapped(source, OTHER_CONTENT_LIMIT), `could not be read as ${kind.kind}: ${errorMessage(err).replace(`${path}: `, '')}`);
    }
  } else if (kind.type === 'folder') {
    yield* folderJsonRows(source, kind.stream, kind.kind, path, ctx);
  } else {
    yield* otherRow(path, await readCapped(source, OTHER_CONTENT_LIMIT));
  }
}

/** The entries of an export zip, each read as a stream (never extracted to a path it names). */
export async function* exportZipRows(file: ImportedFile, ctx: SourceContext, prefix = '', depth = 0): AsyncIterable<Emitted> {
  for await (const entry of ctx.files.zipEntries(file)) {
    if (ctx.signal.aborted) return;
    const path = `${prefix}${entry.name}`;
    yield* exportEntryRows({ path, open: () => entry.open() }, path, ctx, depth);
  }
}

/**
 * A zip inside the export: the zip reader needs random access, so its bytes are streamed to
 * a private temporary file (named by us, not by the archive; never held in memory whole),
 * which is removed afterwards. The copy stops on the run's signal (an uploaded-files part can
 * be gigabytes): core marks the export interrupted, to be read again by the next run.
 */
async function* nestedZipRows(source: ByteSource, path: string, ctx: SourceContext, depth: number): AsyncIterable<Emitted> {
  const dir = await mkdtemp(join(tmpdir(), 'bronze-garmin-'));
  try {
    const tmp = join(dir, 'nested.zip');
    const hash = createHash('sha256');
    let size = 0;
    await pipeline(await source.open(), async function* (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) {
        hash.update(chunk);
        size += chunk.length;
        yield chunk;
      }
    }, createWriteStream(tmp, { mode: 0o600 }), { signal: ctx.signal });
    const inner = await openImportedFile(tmp, { size, mtime: new Date(0), sha256: hash.digest('hex') }, ctx.signal);
    yield* exportZipRows(inner, ctx, `${path}!`, depth);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
