import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type BronzeDatabase } from '../db/database.js';
import { ConfigError } from '../errors.js';
import { exportDatabase, type ArchiveProgress } from './export.js';
import { importArchive, type ImportResult } from './import.js';

export interface CopyOptions {
  merge?: boolean;
  /** Where the intermediate archive goes (default: the system temp directory); removed afterwards. */
  workDir?: string;
  onProgress?: (phase: 'export' | 'import', p: Parameters<ArchiveProgress>[0]) => void;
}

/**
 * `bronze db copy --to URL`: export `from` to a temporary archive, import it into the
 * PostgreSQL database at `toUrl` (which must be empty unless merge) and verify it there.
 * The target is opened first, so an unreachable URL fails before any work.
 */
export async function copyDatabase(from: BronzeDatabase, toUrl: string, options: CopyOptions = {}): Promise<ImportResult> {
  if (!/^postgres(ql)?:\/\//.test(toUrl)) throw new ConfigError('--to must be a postgres:// URL');
  const target = await openDatabase({ url: toUrl });
  const dir = mkdtempSync(join(options.workDir ?? tmpdir(), 'bronze-copy-'));
  try {
    const archive = join(dir, 'archive');
    await exportDatabase(from, archive, (p) => options.onProgress?.('export', p));
    return await importArchive(target, archive, { merge: options.merge, onProgress: (p) => options.onProgress?.('import', p) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await target.close();
  }
}
