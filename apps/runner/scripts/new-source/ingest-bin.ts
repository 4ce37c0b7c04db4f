import type { SourceNames } from './names.js';

/**
 * How a generated package's `pnpm --filter source-<name> ingest` reaches the ingest command:
 * its package.json `ingest` script runs the runner's CLI from source (the runner owns every
 * command; a source cannot depend on the runner, which depends on the sources). Kept in this
 * one place, the same as the other sources', so that it changes here alone.
 */
export function ingestBin(n: SourceNames) {
  return {
    script: `node --max-semi-space-size=4 --conditions=source --import tsx ../../apps/runner/src/cli.ts ingest ${n.cli}`,
    files: {} as Record<string, string>,
  };
}
