import { statSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * What `compute` found in a file on disk, computed once per version of the file (its size and
 * mtime): core asks a workbook's streams several times per run (streams(), then the reader), and
 * listing its sheets means reading the file. undefined when the file cannot be read.
 */
export class FileVersionCache<T> {
  private readonly known = new Map<string, { version: string; value: T | undefined }>();

  constructor(private readonly compute: (absolutePath: string) => T | undefined) {}

  get(path: string): T | undefined {
    const abs = resolve(path);
    let version: string;
    try {
      const st = statSync(abs);
      version = `${st.size}:${st.mtimeMs}`;
    } catch {
      return undefined;
    }
    const known = this.known.get(abs);
    if (known?.version === version) return known.value;
    const value = this.compute(abs);
    this.known.set(abs, { version, value });
    return value;
  }
}
