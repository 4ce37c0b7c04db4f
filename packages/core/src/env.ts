import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import dotenv from 'dotenv';
import { ConfigError } from './errors.js';
import { registerSecret } from './secrets.js';

const ROOT_MARKERS = ['.env', 'bronze.config.yaml', 'pnpm-workspace.yaml'];

/**
 * The directory that holds `.env`, `data/` and `configs/`. `pnpm --filter x ingest` runs
 * scripts inside the package folder, so look upward for the project's markers rather
 * than trusting the working directory. BRONZE_HOME overrides.
 */
export function projectRoot(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  if (env.BRONZE_HOME) return resolve(env.BRONZE_HOME);
  let dir = resolve(cwd);
  for (;;) {
    if (ROOT_MARKERS.some((m) => existsSync(join(dir, m)))) return dir;
    const up = dirname(dir);
    if (up === dir) return resolve(cwd);
    dir = up;
  }
}

/** Where the user typed the command (pnpm runs package scripts elsewhere). */
export function invocationDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.INIT_CWD ? resolve(env.INIT_CWD) : process.cwd();
}

const SECRET_ENV = /(TOKEN|SECRET|PASSWORD|PASS|API_KEY|REFRESH)$/;

/**
 * Loads `.env` from the project root into process.env (existing variables win) and
 * registers every secret-looking value for redaction. A `.env` that exists but cannot
 * be read or parsed is a configuration error naming the file.
 */
export function loadEnv(root = projectRoot()): NodeJS.ProcessEnv {
  const path = join(root, '.env');
  if (existsSync(path)) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new ConfigError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    const parsed = dotenv.parse(text);
    // The environment wins over .env, but an empty variable counts as unset.
    for (const [k, v] of Object.entries(parsed)) if (!process.env[k]) process.env[k] = v;
  }
  for (const [k, v] of Object.entries(process.env)) if (SECRET_ENV.test(k)) registerSecret(v);
  if (process.env.DATABASE_URL) {
    try {
      registerSecret(decodeURIComponent(new URL(process.env.DATABASE_URL).password));
    } catch {
      /* not a URL: openDatabase reports it */
    }
  }
  return process.env;
}

/** Reads a required variable; the error names the key and where to set it. */
export function requireEnv(key: string, env: NodeJS.ProcessEnv = process.env, hint?: string): string {
  const v = env[key];
  if (v === undefined || v.trim() === '') {
    throw new ConfigError(`missing ${key}: set it in .env (see .env.example)${hint ? `; ${hint}` : ''}`);
  }
  return v.trim();
}
