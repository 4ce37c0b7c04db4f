import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import dotenv from 'dotenv';
import { databaseUrlFromEnv } from './db/database-url.js';
import { projectRoot } from './env.js';
import { ConfigError } from './errors.js';
import { registerSecret } from './secrets.js';

/** winston's npm levels, most severe first: LOG_LEVEL must be one of them. */
export const LOG_LEVELS = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Which database bronze writes to: a PostgreSQL server, or the embedded PGlite in a folder. */
export const DatabaseChoiceSchema = Type.Union([
  Type.Object({ engine: Type.Literal('postgres'), url: Type.String({ description: 'postgres:// URL (password included: never log it)' }) }),
  Type.Object({ engine: Type.Literal('pglite'), dataDir: Type.String({ description: 'absolute path of the embedded database folder' }) }),
]);
export type DatabaseChoice = Static<typeof DatabaseChoiceSchema>;

/** Everything the environment decides, computed once per process (the CLI's `main`) and passed down. */
export const SettingsSchema = Type.Object({
  /** The project folder: `.env`, `data/`, `configs/`, `bronze.config.yaml`. */
  root: Type.String(),
  /** Where the user typed the command: relative paths given on the command line resolve here. */
  invocationDir: Type.String(),
  /** The process environment plus `.env` (the process environment wins; an empty variable counts as unset). */
  env: Type.Record(Type.String(), Type.Union([Type.String(), Type.Undefined()])),
  database: DatabaseChoiceSchema,
  logLevel: Type.Union(LOG_LEVELS.map((l) => Type.Literal(l))),
});
export type Settings = Static<typeof SettingsSchema>;

const SECRET_ENV = /(TOKEN|SECRET|PASSWORD|PASS|API_KEY|REFRESH)$/;
const ASSIGNMENT = /^\s*(?:export\s+)?[\w.-]+\s*[=:]\s*(.*)$/;

/**
 * Line numbers of `.env` lines that are neither `KEY=VALUE`, a comment nor blank (dotenv
 * skips them silently, so a typo would pass unnoticed). A quoted value may span lines.
 */
export function garbageEnvLines(text: string): number[] {
  const bad: number[] = [];
  let openQuote: string | undefined;
  text.split(/\r?\n/).forEach((line, i) => {
    if (openQuote) {
      if (line.includes(openQuote)) openQuote = undefined;
      return;
    }
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) return;
    const m = ASSIGNMENT.exec(line);
    if (!m) return void bad.push(i + 1);
    const value = m[1].trim();
    const q = value[0];
    if ((q === '"' || q === "'" || q === '`') && !value.slice(1).includes(q)) openQuote = q;
  });
  return bad;
}

/** Reads `<root>/.env` strictly: unreadable or garbage lines are configuration errors naming the file. */
function readDotEnv(root: string): Record<string, string> {
  const path = join(root, '.env');
  if (!existsSync(path)) return {};
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const bad = garbageEnvLines(text);
  if (bad.length) {
    throw new ConfigError(`${path}: line${bad.length > 1 ? 's' : ''} ${bad.join(', ')} ${bad.length > 1 ? 'are' : 'is'} not KEY=VALUE (nor a # comment)`);
  }
  return dotenv.parse(text);
}

function logLevelOf(env: Record<string, string | undefined>): LogLevel {
  const given = env.LOG_LEVEL?.trim().toLowerCase();
  if (!given) return 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(given)) {
    throw new ConfigError(`LOG_LEVEL=${env.LOG_LEVEL} is not a log level (allowed: ${LOG_LEVELS.join(', ')})`);
  }
  return given as LogLevel;
}

/** DATABASE_URL or PG_HOST… select PostgreSQL; otherwise the embedded database in BRONZE_DATA_DIR (default <root>/data/bronze). */
export function databaseChoice(env: Record<string, string | undefined>, root: string): DatabaseChoice {
  const url = databaseUrlFromEnv(env);
  if (url) return { engine: 'postgres', url };
  const dir = env.BRONZE_DATA_DIR?.trim() || join('data', 'bronze');
  return { engine: 'pglite', dataDir: isAbsolute(dir) ? dir : join(root, dir) };
}

/**
 * The settings of one bronze process: the project root (BRONZE_HOME, else the nearest folder
 * upward holding `.env`, `bronze.config.yaml` or `pnpm-workspace.yaml`), the environment
 * merged with `.env` (never written back into process.env), the database choice and the log
 * level. Registers secret-looking values for redaction.
 */
export function loadSettings(a: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Settings {
  const processEnv = a.env ?? process.env;
  const cwd = resolve(a.cwd ?? process.cwd());
  const root = projectRoot(processEnv, cwd);
  const env: Record<string, string | undefined> = { ...readDotEnv(root) };
  for (const [k, v] of Object.entries(processEnv)) if (v || env[k] === undefined) env[k] = v;
  for (const [k, v] of Object.entries(env)) if (v && SECRET_ENV.test(k)) registerSecret(v);
  const database = databaseChoice(env, root);
  if (database.engine === 'postgres') {
    try {
      registerSecret(decodeURIComponent(new URL(database.url).password));
    } catch {
      /* not a URL: openDatabase reports it */
    }
  }
  return {
    root,
    invocationDir: processEnv.INIT_CWD ? resolve(processEnv.INIT_CWD) : cwd,
    env,
    database,
    logLevel: logLevelOf(env),
  };
}

/** The folder bronze keeps its data in (health and disk metrics watch it): the embedded database's parent, else <root>/data. */
export function dataDirectory(settings: Pick<Settings, 'root' | 'database'>): string {
  return settings.database.engine === 'pglite' ? dirname(settings.database.dataDir) : join(settings.root, 'data');
}
