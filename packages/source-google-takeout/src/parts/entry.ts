import type { Readable } from 'node:stream';
import type { ByteSource } from '@bronze/core';

/** One file of the Takeout, a zip entry or a file of an unpacked folder. */
export interface TakeoutFile {
  /** Its path from the `Takeout/` folder on: what ids and the `other` stream use. */
  path: string;
  /** Shown in errors: `takeout-…-001.zip!Takeout/…` or the file's path. */
  label: string;
  open(): Readable | Promise<Readable>;
}

/** The file as core's readers want it (they name `label` in errors). */
export function byteSource(f: TakeoutFile): ByteSource {
  return { path: f.label, open: () => f.open() };
}

/** Where a record was in the Takeout, for the row's metadata. */
export function where(f: TakeoutFile, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { entry: f.path, ...extra };
}
