import { ExitCode, loadSettings } from '@bronze/core';
import { sources } from './sources.js';
import { authCommand } from './commands/auth.js';
import { checkCommand } from './commands/check.js';
import { configCommand } from './commands/config.js';
import { dbCommand } from './commands/db.js';
import { ingestCommand } from './commands/ingest.js';
import { processIo, reportError, type CliIo, type Command } from './commands/io.js';
import { runsCommand } from './commands/runs.js';
import { serveCommand } from './commands/serve.js';
import { sqlCommand } from './commands/sql.js';
import { sourcesCommand } from './commands/sources.js';
import { statusCommand } from './commands/status.js';

const USAGE = `bronze — collect your own data into a PostgreSQL bronze layer

usage: bronze <command> [args]

  sources                          list the sources and their streams (by CLI name, e.g. apple-health)
  check <source>                   prove the source's credentials with one cheap call
  auth <source> [--port P]         one-time OAuth2 sign-in (strava, spotify): prints the URL, takes the code
  ingest <source…|--all> [flags]   run sources; --all: the configured API sources (bronze ingest --help:
                                   --file PATH…, --since DATE, --until DATE (exclusive), --dry-run…)
  runs [--source S] [--limit N]    recent runs (--json)
  sql ["QUERY"] [--json] [--write] run SQL on the database (read-only unless --write); no query:
                                   the statements on stdin, or a prompt on a terminal (\\q quits)
  status [--json]                  per source and stream: rows, invalid, last run, freshness
  db migrate                       apply sql/ migrations (ingest does this too)
  db export PATH / import PATH     archive everything bronze stores / load an archive (--merge)
  db copy --to postgres://…        move this database to a PostgreSQL server, verified
  db prune --source S --before D   drop S's months before D (--dry-run | --yes)
  config validate [--config PATH]  check bronze.config.yaml (schedules and options); config schema prints its JSON Schema
  serve [--host H] [--port P]      run the configured sources on their schedules; /health and /metrics on 127.0.0.1:8000
                                   (--config PATH: another bronze.config.yaml)
  schedule                         the same scheduler in the foreground, without the HTTP endpoints

Database: DATABASE_URL or PG_HOST/PG_PORT/PG_DB/PG_USER/PG_PASS (in .env) select PostgreSQL;
with none set, the embedded database in data/bronze/ is used.
Sources are named as listed by 'bronze sources' (apple-health); only tables use _ (bronze_apple_health).
Exit codes: 0 ok, 1 failure, 2 bad usage or configuration, 75 source locked by another run.`;

const commands: Record<string, Command> = {
  sources: sourcesCommand,
  check: checkCommand,
  auth: authCommand(),
  ingest: ingestCommand(Object.values(sources)),
  runs: runsCommand,
  status: statusCommand,
  db: dbCommand,
  config: configCommand,
  serve: serveCommand(true),
  schedule: serveCommand(false),
  sql: sqlCommand,
};

/** Commands that print their own, longer help. */
const OWN_HELP = new Set(['ingest', 'sql']);

/** The command's lines of USAGE (with their continuation lines), then where the database is. */
export function commandUsage(name: string): string {
  const lines = USAGE.split('\n');
  const own: string[] = [];
  let inside = false;
  for (const line of lines) {
    const m = /^ {2}(\S+)/.exec(line);
    if (m) inside = m[1] === name;
    else if (!/^ {30,}\S/.test(line)) inside = false;
    if (inside) own.push(line);
  }
  const notes = lines.slice(lines.findIndex((l) => l.startsWith('Database:')));
  return `usage:\n${own.join('\n')}\n\n${notes.join('\n')}`;
}

/**
 * The CLI. The settings (project root, environment merged with .env, database choice, log
 * level) are built here, once, and passed to the command; `process` is read nowhere else.
 */
export async function main(argv: string[], io: CliIo = processIo, from: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(USAGE);
    return name ? ExitCode.ok : ExitCode.usage;
  }
  const command = commands[name];
  if (!command) {
    io.err(`error: unknown command '${name}'\n\n${USAGE}`);
    return ExitCode.usage;
  }
  if (!OWN_HELP.has(name) && rest.some((a) => a === '--help' || a === '-h')) {
    io.out(commandUsage(name));
    return ExitCode.ok;
  }
  try {
    return await command(rest, io, loadSettings(from));
  } catch (err) {
    return reportError(err, io, rest.includes('--verbose') || rest.includes('-v'));
  }
}
