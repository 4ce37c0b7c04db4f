import { ExitCode, processIo, reportError, runIngestCommand, type CliIo } from '@bronze/core';
import { sources } from './sources.js';
import { authCommand } from './commands/auth.js';
import { checkCommand } from './commands/check.js';
import { configCommand } from './commands/config.js';
import { dbCommand } from './commands/db.js';
import { runsCommand } from './commands/runs.js';
import { serveCommand } from './commands/serve.js';
import { sourcesCommand } from './commands/sources.js';
import { statusCommand } from './commands/status.js';

const USAGE = `bronze — collect your own data into a PostgreSQL bronze layer

usage: bronze <command> [args]

  sources                          list the sources and their streams
  check <source>                   prove the source's credentials with one cheap call
  auth <source> [--port P]         one-time OAuth2 sign-in (strava): prints the URL, takes the code
  ingest <source…|--all> [flags]   run sources (bronze ingest --help for flags)
  runs [--source S] [--limit N]    recent runs
  status [--json]                  per source and stream: rows, invalid, last run, freshness
  db migrate                       apply sql/ migrations (ingest does this too)
  db export PATH / import PATH     archive everything bronze stores / load an archive (--merge)
  db copy --to postgres://…        move this database to a PostgreSQL server, verified
  db prune --source S --before D   drop S's months before D (--dry-run | --yes)
  config validate [--config PATH]  check bronze.config.yaml (schedules and options); config schema prints its JSON Schema
  serve [--host H] [--port P]      run the configured sources on their schedules; /health and /metrics on 127.0.0.1:8000
  schedule                         the same scheduler in the foreground, without the HTTP endpoints

Database: DATABASE_URL or PG_HOST/PG_PORT/PG_DB/PG_USER/PG_PASS (in .env) select PostgreSQL;
with none set, the embedded database in data/bronze/ is used.
Exit codes: 0 ok, 1 failure, 2 bad usage or configuration, 75 source locked by another run.`;

export type Command = (argv: string[], io: CliIo) => Promise<number>;

const commands: Record<string, Command> = {
  sources: sourcesCommand,
  check: checkCommand,
  auth: authCommand(),
  ingest: (argv, io) => runIngestCommand(Object.values(sources), argv, io),
  runs: runsCommand,
  status: statusCommand,
  db: dbCommand,
  config: configCommand,
  serve: serveCommand(true),
  schedule: serveCommand(false),
};

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
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
  try {
    return await command(rest, io);
  } catch (err) {
    return reportError(err, io, rest.includes('--verbose') || rest.includes('-v'));
  }
}
