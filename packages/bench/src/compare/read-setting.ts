import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The built code the ingest child runs (ingest-child.mjs imports these packages' `dist/index.js`). */
export function ingestBuiltFiles(packages = ['@bronze/core', '@bronze/source-apple-health']): string[] {
  return packages.map((p) => join(dirname(require.resolve(`${p}/package.json`)), 'dist', 'index.js'));
}

/**
 * Refuses a `BRONZE_` variable that no code of the ingest names: both sides would run the same
 * code and the comparison would look like a lever that does nothing (a misspelt name, or one
 * that lives on an experiment's branch only, as BRONZE_BULK_LATEST did). bronze reads its own
 * variables by their literal names; other variables (NODE_OPTIONS, PGOPTIONS…) are read by
 * Node or pg and are not checked.
 */
export function assertIngestReads(name: string, files = ingestBuiltFiles()): void {
  if (!name.startsWith('BRONZE_')) return;
  const missing = files.filter((f) => !existsSync(f));
  if (missing.length) throw new Error(`--compare ${name}: ${missing.join(', ')} is not built (pnpm turbo run build)`);
  // The whole name: BRONZE_BULK_MONTH is not BRONZE_BULK_MONTHS.
  const named = new RegExp(`(?<![A-Za-z0-9_])${name}(?![A-Za-z0-9_])`);
  if (files.some((f) => named.test(readFileSync(f, 'utf8')))) return;
  throw new Error(`--compare ${name}: no code the ingest runs (${files.join(', ')}) reads ${name}, so both sides would run the same code; check its spelling`);
}
