import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The files a scheduled run imports: each configured path, relative to the project root;
 * a directory stands for the regular, non-hidden files directly in it (an inbox you drop
 * exports into). Missing paths are kept, so the run fails with a message naming them.
 */
export function expandConfiguredFiles(entries: string[], root: string): string[] {
  const out: string[] = [];
  for (const entry of entries) {
    const path = resolve(root, entry);
    let isDir = false;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      /* missing: ingest reports it */
    }
    if (!isDir) {
      out.push(path);
      continue;
    }
    for (const name of readdirSync(path).sort()) {
      if (name.startsWith('.')) continue;
      const file = join(path, name);
      if (statSync(file).isFile()) out.push(file);
    }
  }
  return out;
}
