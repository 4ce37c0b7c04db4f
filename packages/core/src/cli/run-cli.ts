import { resolve } from 'node:path';
import type { Source } from '../contract.js';
import { openDatabase, type BronzeDatabase } from '../db/database.js';
import { BronzeError, ExitCode } from '../errors.js';
import { invocationDir, loadEnv, projectRoot } from '../env.js';
import { ingest, type IngestResult } from '../ingest/run-source.js';
import { formatProgress, type Progress } from '../ingest/progress.js';
import { createLogger, type Logger } from '../log.js';
import { redact } from '../secrets.js';
import { ingestUsage, parseIngestArgs } from './ingest-args.js';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** stderr is a terminal: show a live progress line. */
  tty: boolean;
}

export const processIo: CliIo = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
  tty: Boolean(process.stderr.isTTY),
};

/** One line per failure; the stack only with --verbose. Returns the exit code. */
export function reportError(err: unknown, io: CliIo, verbose: boolean): number {
  const code = err instanceof BronzeError ? err.exitCode : ExitCode.failure;
  const msg = redact(err instanceof Error ? err.message : String(err));
  io.err(`error: ${msg}`);
  if (verbose && err instanceof Error && err.stack) io.err(redact(err.stack));
  return code;
}

export function formatSummary(r: IngestResult): string {
  const files = r.files.imported + r.files.skipped + r.files.failed
    ? `; files: ${r.files.imported} imported, ${r.files.skipped} skipped (already imported), ${r.files.failed} failed`
    : '';
  return (
    `${r.source}: ${r.status} — seen ${r.seen}, inserted ${r.inserted} (new versions ${r.newVersion}), ` +
    `unchanged ${r.unchanged}, invalid ${r.invalid}, warnings ${r.warning}${files}; ${r.seconds.toFixed(1)} s` +
    (r.notes?.length ? `; ${r.notes.join('; ')}` : '') +
    (r.runId ? ` (run ${r.runId})` : ' (dry run: nothing written)')
  );
}

/**
 * One Ctrl-C reaches this process more than once: the terminal signals the whole process
 * group (pnpm, tsx, node), and tsx relays the signal again when the child does not confirm
 * it within 30 ms (a busy event loop). Signals this close to the first are that same Ctrl-C.
 */
const SAME_CTRL_C_MS = 3000;

/**
 * Ctrl-C/SIGTERM: stop reading, commit the batch in flight, finish the run (summary,
 * status 'failed', file 'interrupted'). A deliberate second signal exits at once; the run
 * left 'running' is then marked abandoned by the source's next run.
 */
function abortOnSignals(logger: Logger): { signal: AbortSignal; dispose(): void } {
  const ac = new AbortController();
  let firstAt = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    if (ac.signal.aborted) {
      if (Date.now() - firstAt < SAME_CTRL_C_MS) return;
      logger.warn(`${sig} again: exiting now, the batch in flight is not committed`);
      process.exit(130);
    }
    firstAt = Date.now();
    logger.warn(`${sig}: finishing the batch in flight, then stopping (send again to exit at once)`);
    ac.abort(new Error(`interrupted by ${sig}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: ac.signal,
    dispose() {
      // After a Ctrl-C, late copies of it may still arrive while the database closes.
      if (ac.signal.aborted) return;
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/**
 * `bronze ingest` for the given sources (sequentially, one run each). Exit code: 0 when
 * every run succeeded, 75 when a source was locked by another run, else 1 (2 for usage).
 */
export async function runIngestCommand(all: Source[], argv: string[], io: CliIo = processIo, pick = true): Promise<number> {
  let verbose = argv.includes('--verbose') || argv.includes('-v');
  let db: BronzeDatabase | undefined;
  try {
    const args = parseIngestArgs(argv, all);
    verbose = args.verbose;
    if (args.help) {
      io.out(ingestUsage(all, pick ? undefined : `pnpm --filter source-${all[0].name.replace(/_/g, '-')} ingest --`));
      return ExitCode.ok;
    }
    const chosen = pick ? selectSources(all, args.positionals, args.all) : all;
    const root = projectRoot();
    loadEnv(root);
    const logger = createLogger({ level: verbose ? 'debug' : undefined });
    if (!args.ingest.dryRun) db = await openDatabase();
    const signals = abortOnSignals(logger);
    let exit: number = ExitCode.ok;
    try {
      for (const source of chosen) {
        let lastLen = 0;
        const onProgress = io.tty
          ? (p: Progress) => {
              const line = formatProgress(p);
              process.stderr.write(`\r${line}${' '.repeat(Math.max(0, lastLen - line.length))}`);
              lastLen = line.length;
            }
          : (p: Progress) => logger.debug('progress', { ...p });
        try {
          // Paths are relative to where the user typed the command (pnpm runs scripts elsewhere).
          const files = args.ingest.files?.map((f) => resolve(invocationDir(), f));
          const r = await ingest(db, source, { ...args.ingest, files, logger, signal: signals.signal, onProgress });
          if (lastLen) process.stderr.write('\n');
          io.out(args.json ? JSON.stringify(r) : formatSummary(r));
          for (const e of r.errors) io.err(`error: ${e}`);
          if (r.status !== 'succeeded') exit = Math.max(exit, ExitCode.failure);
        } catch (err) {
          if (lastLen) process.stderr.write('\n');
          const code = reportError(err, io, verbose);
          exit = exit === ExitCode.ok || code === ExitCode.locked ? code : exit;
          if (chosen.length === 1 || code === ExitCode.usage) return code;
        }
        if (signals.signal.aborted) break;
      }
      return exit;
    } finally {
      signals.dispose();
    }
  } catch (err) {
    return reportError(err, io, verbose);
  } finally {
    await db?.close().catch(() => undefined);
  }
}

function selectSources(all: Source[], names: string[], everything: boolean): Source[] {
  // --all means every API source: file sources need --file and are named explicitly.
  if (everything) return all.filter((s) => s.baseUrl !== undefined);
  if (!names.length) throw new BronzeError(`name a source (${all.map((s) => cliName(s)).join(', ')}) or --all`, ExitCode.usage);
  return names.map((n) => {
    const s = all.find((x) => x.name === n.replace(/-/g, '_'));
    if (!s) throw new BronzeError(`unknown source '${n}' (known: ${all.map((x) => cliName(x)).join(', ')})`, ExitCode.usage);
    return s;
  });
}

export const cliName = (s: Source) => s.name.replace(/_/g, '-');

/** The `ingest` script of a source package: `pnpm --filter source-x ingest -- --file …`. */
export function runSourceCli(source: Source, argv: string[], io: CliIo = processIo): Promise<number> {
  const args = argv[0] === '--' ? argv.slice(1) : argv;
  return runIngestCommand([source], args, io, false);
}
