import { FileImportError, localZipEntries, type Emitted, type ImportedFile, type SourceContext, type ZipEntry } from '@bronze/core';
import { basename } from 'node:path';
import { unpackedPath } from './export-root.js';
import { takeoutPath } from './layout.js';
import { missingParts, partName } from './multi-part.js';
import type { TakeoutFile } from './parts/entry.js';
import { readTakeoutFile } from './read-part.js';

async function startsLikeZip(file: ImportedFile): Promise<boolean> {
  for await (const chunk of file.openRaw(0, 3)) return (chunk as Buffer).length >= 4 && (chunk as Buffer).readUInt32LE(0) === 0x04034b50;
  return false;
}

/** Zip entries through core's reader (the central directory); a zip cut short is walked by its local headers instead. */
async function* zipFiles(file: ImportedFile, ctx: SourceContext): AsyncIterable<TakeoutFile & { salvaged: boolean; empty?: boolean }> {
  const entries = ctx.files.zipEntries(file)[Symbol.asyncIterator]();
  let next: IteratorResult<ZipEntry>;
  try {
    next = await entries.next();
  } catch (err) {
    ctx.logger.warn(`${file.path}: ${(err as Error).message.replace(`${file.path}: `, '')}; reading its entries from their local headers, up to the damage`);
    for await (const e of localZipEntries(file)) {
      if (e.name.endsWith('/')) continue;
      yield { path: takeoutPath(e.name), label: `${file.path}!${e.name}`, open: () => e.open(), salvaged: true };
    }
    return;
  }
  for (; !next.done; next = await entries.next()) {
    const e = next.value;
    yield { path: takeoutPath(e.name), label: `${file.path}!${e.name}`, open: () => e.open(), salvaged: false, empty: e.size === 0 };
  }
}

/** An export's zip: a `takeout-…-001.zip` part, or a zip outside any unpacked export (a renamed part). */
async function isExportZip(file: ImportedFile, inExport: string | undefined): Promise<boolean> {
  if (partName(file.path)) return true;
  // A zip-based file of the export (My Maps' .kmz, a .zip kept in Drive) is one file of it, stored whole.
  return inExport === undefined && /\.zip$/i.test(file.path) && (await startsLikeZip(file));
}

/**
 * One `--file`: a takeout-*.zip (one part of an export), one file of an unpacked Takeout
 * folder (named by its path from the export root on, export-root.ts), or a lone file. A
 * damaged entry of a whole zip does not stop the others: they are all read, then the file
 * fails naming the damaged ones. A zip cut short keeps every entry
 * before the damage, then fails naming the entry and byte offset.
 */
export async function* readTakeout(file: ImportedFile, ctx: SourceContext): AsyncIterable<Emitted> {
  const gap = await missingParts(file.path);
  if (gap) {
    const text = `takeout-${gap.stamp}: part(s) ${gap.missing.join(', ')} of this export are not beside its other parts (found ${gap.found.join(', ')}); their files are not imported — download and import them`;
    ctx.logger.warn(text);
    ctx.note?.(text);
  }
  const inExport = unpackedPath(file.path);
  if (!(await isExportZip(file, inExport))) {
    yield* readTakeoutFile({ path: inExport ?? basename(file.path), label: file.path, open: () => file.open() }, ctx.files);
    return;
  }
  const damaged: string[] = [];
  const empty: string[] = [];
  // Entries of some bytes that gave no record (`[]`, a page head with no entries, a CSV header
  // alone): core says "0 records" of a file, not of a zip's entry, so they passed without a word.
  const recordless: string[] = [];
  for await (const f of zipFiles(file, ctx)) {
    if (ctx.signal.aborted) return;
    // As core leaves out a folder's empty files: 0 bytes hold no record, and read as a record
    // file (an empty MyActivity.json in real exports) they failed the zip on every run.
    if (f.empty) {
      empty.push(f.path);
      continue;
    }
    let records = 0;
    try {
      for await (const row of readTakeoutFile(f, ctx.files)) {
        records++;
        yield row;
      }
      if (records === 0) recordless.push(f.path);
    } catch (err) {
      // A cut archive cannot be read past its damage; a whole one can, from its central directory.
      if (f.salvaged || !(err instanceof FileImportError)) throw err;
      ctx.logger.error(err.message);
      damaged.push(err.message);
    }
  }
  if (empty.length) {
    const text = `${file.path}: ${empty.length} file(s) left out, empty (0 bytes: nothing to import) (${empty.slice(0, 10).join(', ')}${empty.length > 10 ? ', …' : ''})`;
    ctx.logger.warn(text);
    ctx.note?.(text);
  }
  if (recordless.length) {
    const text = `${file.path}: ${recordless.length} file(s) gave 0 records, nothing stored from them (${recordless.slice(0, 10).join(', ')}${recordless.length > 10 ? ', …' : ''})`;
    ctx.logger.warn(text);
    ctx.note?.(text);
  }
  if (damaged.length) throw new FileImportError(file.path, `${damaged.length} file(s) of the export could not be read whole (the records before each damage are stored): ${damaged.join('; ')}`);
}
