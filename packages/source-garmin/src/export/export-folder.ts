import { statSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';

// Whether a folder holds DI_CONNECT/, by folder: the walk of an export asks for thousands of
// files. Kept a few seconds, as `bronze serve` walks the same folders run after run.
const holdsExport = new Map<string, { at: number; holds: boolean }>();
const HOLDS_MS = 5_000;

function hasDiConnect(dir: string): boolean {
  const now = Date.now();
  const known = holdsExport.get(dir);
  if (known && now - known.at < HOLDS_MS) return known.holds;
  if (holdsExport.size > 10_000) holdsExport.clear();
  let holds: boolean;
  try {
    holds = statSync(join(dir, 'DI_CONNECT')).isDirectory();
  } catch {
    holds = false;
  }
  holdsExport.set(dir, { at: now, holds });
  return holds;
}

/**
 * A file's path in the account export it was unzipped from (`DI_CONNECT/DI-Connect-Fitness/
 * me@example.com_0_personalRecord.json`), as the zip names that entry: when it lies below a
 * `DI_CONNECT` folder. Undefined otherwise, and for hidden files (`.DS_Store`, `._name` of a
 * Mac unzip), which are not the export's. Read by this path, a file lands in the stream and
 * under the id the zip gives it: by its base name alone, a fitness or wellness file was one
 * export_other row, and the zip imported later stored its entries again.
 */
export function pathInExportFolder(path: string): string | undefined {
  if (basename(path).startsWith('.')) return undefined;
  for (let dir = dirname(path); dirname(dir) !== dir; dir = dirname(dir)) {
    if (basename(dir) === 'DI_CONNECT' && hasDiConnect(dirname(dir))) return relative(dirname(dir), path).split(sep).join('/');
  }
  return undefined;
}
