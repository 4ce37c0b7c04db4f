import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  BronzeError, cliName, ConfigError, configureSource, createLogger, ExitCode, ingest, openDatabase, tableName,
  type BronzeDatabase, type Settings, type Source,
} from '@bronze/core';
import { ingestUsage, parseIngestArgs } from './ingest-args.js';
import { abortOnSignals } from './stop-signals.js';
import { formatSummary, progressLine } from './ingest-summary.js';
import { reportError, type CliIo, type Command } from './io.js';

function selectSources(all: Source[], names: string[], everything: boolean): Source[] {
  // --all means every API source: file sources need --file and are named explicitly.
  if (everything) return all.filter((s) => s.baseUrl !== undefined);
  if (!names.length) throw new BronzeError(`name a source (${all.map((s) => cliName(s)).join(', ')}) or --all`, ExitCode.usage);
  return names.map((n) => {
    const s = all.find((x) => x.name === tableName(n));
    if (!s) throw new BronzeError(`unknown source '${n}' (known: ${all.map((x) => cliName(x)).join(', ')})`, ExitCode.usage);
    return s;
  });
}

/** --all: the sources whose configuration (credentials) is complete; the others are listed with the reason. */
function configuredOnly(chosen: Source[], settings: Settings, options: Record<string, unknown>, io: CliIo): Source[] {
  const skipped: string[] = [];
  const runnable = chosen.filter((s) => {
    try {
      const why = s.apiUnavailable?.(configureSource(s, settings.env, options) as never, { root: settings.root });
      if (why) skipped.push(`${cliName(s)}: ${why}`);
      return !why;
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      skipped.push(`${cliName(s)}: ${err.message}`);
      return false;
    }
  });
  for (const s of skipped) io.err(`skipped ${s}`);
  if (!runnable.length) throw new ConfigError('no API source is configured (all skipped, see above)');
  return runnable;
}

/**
 * The database a run writes to. A dry run only reads it, and never creates the embedded
 * one: when it does not exist yet, there is nothing to compare with (said on stderr).
 */
async function openFor(settings: Settings, dryRun: boolean, signal: AbortSignal, io: CliIo): Promise<BronzeDatabase | undefined> {
  const choice = settings.database;
  if (dryRun && choice.engine === 'pglite' && !existsSync(join(choice.dataDir, 'PG_VERSION'))) {
    io.err(`dry run: no embedded database at ${choice.dataDir} yet (not created): every file and record counts as new`);
    return undefined;
  }
  // A signal while opening ends the wait: the open itself cannot be cancelled.
  const aborted = new Promise<never>((_, reject) => {
    const stop = () => reject(new BronzeError(`interrupted while opening the database (${signal.reason instanceof Error ? signal.reason.message : 'signal'})`));
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
  });
  const opening = openDatabase(choice);
  opening.catch(() => undefined);
  return Promise.race([opening, aborted]);
}

/**
 * `bronze ingest` for the given sources (sequentially, one run each), and the `ingest`
 * script of every source package. Exit code: 0 when every run succeeded, 75 when a source
 * was locked by another run, else 1 (2 for usage or configuration).
 */
export function ingestCommand(all: Source[]): Command {
  return async (argv, io, settings) => {
    const held: Held = {};
    let code: number = ExitCode.failure;
    try {
      code = await ingestOnce(all, argv, io, settings, held);
      return code;
    } finally {
      await held.db?.close().catch(() => undefined);
      // Only now: a Ctrl-C while the database closes (PGlite: ~150 ms after the summary) would
      // otherwise kill the process, exit 130 for a run that succeeded, its close cut short; one
      // after it ends the process with this command's code.
      held.signals?.dispose(code);
    }
  };
}

/** What the command opened, for its caller to close: the database, the signal handlers. */
interface Held {
  db?: BronzeDatabase;
  signals?: ReturnType<typeof abortOnSignals>;
}

async function ingestOnce(all: Source[], argv: string[], io: CliIo, settings: Settings, held: Held): Promise<number> {
  let verbose = argv.includes('--verbose') || argv.includes('-v');
  try {
    const args = parseIngestArgs(argv, all);
    verbose = args.verbose;
    if (args.help) {
      io.out(ingestUsage(all));
      return ExitCode.ok;
    }
    let chosen = selectSources(all, args.sources, args.all);
    if (args.all) chosen = configuredOnly(chosen, settings, args.ingest.options ?? {}, io);
    const logger = createLogger({ level: verbose ? 'debug' : settings.logLevel });
    // Paths are relative to where the user typed the command (pnpm runs scripts elsewhere).
    const files = args.files.map((f) => resolve(settings.invocationDir, f));
    held.signals = abortOnSignals(logger, 'the batch in flight (and the indexes of the new months it read)');
    const { signal } = held.signals;
    held.db = await openFor(settings, Boolean(args.ingest.dryRun), signal, io);
    const db = held.db;
    let exit: number = ExitCode.ok;
    let skipped = 0;
    for (const source of chosen) {
      const progress = progressLine(io, logger);
      try {
        const r = await ingest(db, source, { ...args.ingest, files, env: settings.env, root: settings.root, logger, signal, onProgress: progress.onProgress });
        progress.end();
        io.out(args.json ? JSON.stringify(r) : formatSummary(r));
        for (const e of r.errors) io.err(`error: ${e}`);
        if (r.status !== 'succeeded') exit = Math.max(exit, ExitCode.failure);
      } catch (err) {
        progress.end();
        // --all: credentials found missing only when the run starts (Garmin's token file) mean "not configured" too.
        if (args.all && err instanceof ConfigError) {
          io.err(`skipped ${cliName(source)}: ${err.message}`);
          skipped++;
          continue;
        }
        const code = reportError(err, io, verbose);
        exit = exit === ExitCode.ok || code === ExitCode.locked ? code : exit;
        if (chosen.length === 1 || code === ExitCode.usage) return code;
      }
      if (signal.aborted) break;
    }
    if (skipped === chosen.length) throw new ConfigError('no API source is configured (all skipped, see above)');
    return exit;
  } catch (err) {
    return reportError(err, io, verbose);
  }
}
