import { ConfigError, ExitCode, type Settings } from '@bronze/core';
import type { CliIo } from './io.js';
import { parseFlags, withDatabase } from './shared.js';
import { runAndPrint } from './sql-output.js';
import { sqlPrompt } from './sql-prompt.js';

const USAGE = `usage: bronze sql ["QUERY"] [--json] [--write]
  QUERY      one or more statements; without it, the statements piped on stdin,
             or an interactive prompt on a terminal (end a statement with ;  \\q quits)
  --json     each statement's rows as one JSON array per line
  --write    allow changes (default: read-only, BEGIN READ ONLY)`;

async function readAll(input: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of input) text += String(chunk);
  return text;
}

/** `bronze sql`: queries the configured database, embedded or PostgreSQL; the SQL runs through core's runSql. */
export async function sqlCommand(argv: string[], io: CliIo, settings: Settings): Promise<number> {
  const { positionals, values } = parseFlags(argv, { json: { type: 'boolean' }, write: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    io.out(USAGE);
    return ExitCode.ok;
  }
  if (positionals.length > 1) throw new ConfigError(`quote the query as one argument\n${USAGE}`);
  const o = { json: Boolean(values.json), write: Boolean(values.write) };
  const interactive = !positionals.length && io.input?.isTTY;
  const text = positionals[0] ?? (interactive || !io.input ? undefined : await readAll(io.input));
  if (!interactive && !text?.trim()) throw new ConfigError(`no query given and nothing on stdin\n${USAGE}`);
  return withDatabase(settings, async (db) => {
    if (interactive) return sqlPrompt(db, io, o);
    await runAndPrint(db, text!, io, o);
    return ExitCode.ok;
  });
}
