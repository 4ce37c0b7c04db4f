import type { Readable } from 'node:stream';

/** Anything with bytes to read: an ImportedFile, or an entry inside an archive. */
export interface ByteSource {
  /** Shown in errors: the file path, or `archive.zip!entry/name`. */
  path: string;
  open(): Readable | Promise<Readable>;
  /** Told the encoding text readers decoded it with (ImportedFile records it in the rows). */
  decodedAs?(encoding: string): void;
}
