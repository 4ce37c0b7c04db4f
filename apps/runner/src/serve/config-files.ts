import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface ConfiguredFiles {
  files: string[];
  /** Inbox entries that could not be read (dangling symlink, vanished, no permission): reported, not imported. */
  skipped: { path: string; reason: string }[];
}

const reasonOf = (err: unknown) => (err as NodeJS.ErrnoException).code ?? String(err);

/**
 * The files a scheduled run imports: each configured path, relative to the project root;
 * a directory stands for the regular, non-hidden files directly in it (an inbox you drop
 * exports into). Missing configured paths are kept, so the run fails with a message naming
 * them; an inbox entry that cannot be stat'ed (a dangling symlink, a file removed while the
 * folder is listed) is skipped and reported, so one bad entry never stops the schedule.
 */
export function expandConfiguredFiles(entries: string[], root: string): ConfiguredFiles {
  const files: string[] = [];
  const skipped: ConfiguredFiles['skipped'] = [];
  for (const entry of entries) {
    const path = resolve(root, entry);
    let isDir = false;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      /* missing: ingest reports it */
    }
    if (!isDir) {
      files.push(path);
      continue;
    }
    let names: string[];
    try {
      names = readdirSync(path).sort();
    } catch (err) {
      skipped.push({ path, reason: `cannot list the folder (${reasonOf(err)})` });
      continue;
    }
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const file = join(path, name);
      try {
        if (statSync(file).isFile()) files.push(file);
      } catch (err) {
        skipped.push({ path: file, reason: `cannot read (${reasonOf(err)}; a dangling symlink or a file removed meanwhile?)` });
      }
    }
  }
  return { files, skipped };
}
