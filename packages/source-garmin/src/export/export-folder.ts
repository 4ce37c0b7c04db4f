import { statSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { folderFacts } from '@bronze/core';

// Whether a folder holds DI_CONNECT/: the walk of an export asks for each of its thousands of files.
const holdsDiConnect = folderFacts((dir) => {
  try {
    return statSync(join(dir, 'DI_CONNECT')).isDirectory();
  } catch {
    return false;
  }
});

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
    if (basename(dir) === 'DI_CONNECT' && holdsDiConnect(dirname(dir))) return relative(dirname(dir), path).split(sep).join('/');
  }
  return undefined;
}
