import { cliName, formatProgress, type IngestResult, type Logger, type Progress } from '@bronze/core';
import type { CliIo } from './io.js';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** One line per run; a dry run says what a real run would do. */
export function formatSummary(r: IngestResult): string {
  const f = r.files;
  const dry = !r.runId;
  const files = f.imported + f.skipped + f.failed
    ? `; files: ${f.imported} ${dry ? 'to import' : 'imported'}, ${f.skipped} ${dry ? 'would be skipped' : 'skipped'} (already imported), ${f.failed} failed`
    : '';
  const unrecognised = f.unrecognised.length
    ? `; ${plural(f.unrecognised.length, 'file')} not recognised: ${f.unrecognised.map((u) => `${u.path} stored in ${u.stream}`).join(', ')}`
    : '';
  // In a run that succeeded, a failed file is one that gave 0 records (any other failure fails
  // the run): not stored, not marked imported, and named in the notes. Plain `succeeded` would
  // hide it when it was the run's only file.
  const empty = r.status === 'succeeded' && f.failed ? `, but ${plural(f.failed, 'file')} gave 0 records` : '';
  const status = (r.status === 'succeeded' && r.warning ? `succeeded with ${plural(r.warning, 'warning')}` : r.status) + empty;
  const inserted = dry ? `new ${r.inserted} (new versions ${r.newVersion}), already stored ${r.unchanged}` : `inserted ${r.inserted} (new versions ${r.newVersion}), unchanged ${r.unchanged}`;
  return (
    `${cliName(r.source)}: ${dry ? 'dry run ' : ''}${status} — seen ${r.seen}, ${inserted}, invalid ${r.invalid}, warnings ${r.warning}${files}${unrecognised}; ${r.seconds.toFixed(1)} s` +
    (r.notes?.length ? `; ${r.notes.join('; ')}` : '') +
    (r.problems?.length ? `; ${r.problems.join('; ')}` : '') +
    (r.runId ? ` (run ${r.runId})` : ' (dry run: nothing written)')
  );
}

/** A live progress line on a terminal, debug logs otherwise; end() clears the line. */
export function progressLine(io: CliIo, logger: Logger): { onProgress: (p: Progress) => void; end(): void } {
  let lastLen = 0;
  return {
    onProgress: io.tty
      ? (p) => {
          const line = formatProgress(p);
          process.stderr.write(`\r${line}${' '.repeat(Math.max(0, lastLen - line.length))}`);
          lastLen = line.length;
        }
      : (p) => logger.debug('progress', { ...p }),
    end() {
      if (lastLen) process.stderr.write('\n');
      lastLen = 0;
    },
  };
}
