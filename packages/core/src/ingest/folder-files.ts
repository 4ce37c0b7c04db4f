import { lstat, readdir, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { FileImportError } from '../errors.js';
import { NOT_UTF8_NAME, statImportable } from '../files/imported-file.js';
import type { CheckedFile } from '../store/files.js';

interface FolderFiles {
  taken: string[];
  leftOut: string[];
  /** Symbolic links to folders (not followed: a link can loop, or reach files twice) and broken links. */
  links: string[];
  /** Pipes, sockets, devices: reading one could block or never end. */
  special: string[];
  /**
   * Names that are not UTF-8 (an old zip unpacked as Latin-1): Node's paths cannot name them.
   * Those the source would take are files it fails to import; the others are left out.
   */
  notUtf8: { taken: string[]; leftOut: string[] };
}

/**
 * Files below a folder, recursively, in a stable order: those the source takes, and the rest.
 * A symbolic link to a file is that file (a folder of links to exports is common); every
 * entry that is not read is returned, to be named: none is skipped silently.
 */
async function filesInFolder(dir: string, match: (path: string) => boolean): Promise<FolderFiles> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const found: FolderFiles = { taken: [], leftOut: [], links: [], special: [], notUtf8: { taken: [], leftOut: [] } };
  const files: string[] = [];
  for (const e of entries) {
    const p = join(e.parentPath ?? e.path, e.name);
    // Node decodes names as UTF-8, a byte that is not as U+FFFD: such a path names no file, and
    // one of them failed the whole folder's import ("no such file"), run after run.
    if (p.includes('\ufffd') && !(await lstat(p).catch(() => undefined))) {
      if (!e.isDirectory()) (match(p) ? found.notUtf8.taken : found.notUtf8.leftOut).push(p);
      continue;
    }
    if (e.isFile()) files.push(p);
    else if (e.isSymbolicLink()) {
      const target = await stat(p).catch(() => undefined);
      if (target?.isFile()) files.push(p);
      else if (target?.isDirectory() || !target) found.links.push(p);
      else found.special.push(p);
    } else if (!e.isDirectory()) found.special.push(p);
  }
  for (const p of files.sort()) (match(p) ? found.taken : found.leftOut).push(p);
  found.links.sort();
  found.special.sort();
  found.notUtf8.taken.sort();
  found.notUtf8.leftOut.sort();
  return found;
}

/** What a folder given as --file held that the source does not take: said, never skipped silently. */
export function leftOutNote(folder: string, leftOut: string[], why = 'not files this source imports'): string {
  const shown = leftOut.slice(0, 3).map((p) => relative(folder, p)).join(', ');
  return `${folder}: ${leftOut.length} file(s) left out, ${why} (${shown}${leftOut.length > 3 ? ', …' : ''})`;
}

/**
 * Fails before anything is written when a file is missing, empty or unreadable, or is a
 * folder the source cannot take. A folder is expanded to the files inside it that the
 * source's `match` accepts; the others are told to `onLeftOut`. Relative paths are against
 * the working directory.
 */
export async function precheckFiles(
  paths: string[],
  match?: (path: string) => boolean,
  onLeftOut?: (note: string) => void,
  /** A file of a folder the source takes but cannot open (its name is not UTF-8): the run fails on it, after the others. */
  onUnopenable?: (message: string) => void,
): Promise<CheckedFile[]> {
  const out: CheckedFile[] = [];
  for (const p of paths) {
    const path = resolve(p);
    const folder = match && (await stat(path).catch(() => undefined))?.isDirectory();
    const { taken, leftOut, links, special, notUtf8 } = folder ? await filesInFolder(path, match) : { taken: [path], leftOut: [], links: [], special: [], notUtf8: { taken: [], leftOut: [] } };
    // An empty file inside a folder holds no record: it is left out and said, where a file given
    // by name fails the run. Takeout writes empty files (`Chrome/Autofill.json`): one must not
    // stop the import of the whole export, run after run.
    const files: CheckedFile[] = [];
    const empty: string[] = [];
    for (const f of taken) {
      const st = await statImportable(f, Boolean(folder));
      if (st.size === 0) empty.push(f);
      else files.push({ path: f, ...st });
    }
    if (folder && !files.length && !notUtf8.taken.length) throw new FileImportError(path, `holds no file this source imports${empty.length ? ` (${empty.length} empty)` : ''}`);
    if (leftOut.length) onLeftOut?.(leftOutNote(path, leftOut));
    if (links.length) onLeftOut?.(leftOutNote(path, links, 'symbolic links to folders (not followed: pass the folder itself with --file) or broken'));
    if (special.length) onLeftOut?.(leftOutNote(path, special, 'not regular files (pipes, sockets, devices)'));
    if (notUtf8.leftOut.length) onLeftOut?.(leftOutNote(path, notUtf8.leftOut, 'not files this source imports, with names that are not UTF-8'));
    for (const f of notUtf8.taken) onUnopenable?.(`${f}: ${NOT_UTF8_NAME}`);
    if (empty.length) onLeftOut?.(leftOutNote(path, empty, 'empty (0 bytes: nothing to import)'));
    out.push(...files);
  }
  return out;
}
