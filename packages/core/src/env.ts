import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from './errors.js';

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

/** Reads a required variable; the error names the key and where to set it. */
export function requireEnv(key: string, env: Record<string, string | undefined> = process.env, hint?: string): string {
  const v = env[key];
  if (v === undefined || v.trim() === '') {
    throw new ConfigError(`missing ${key}: set it in .env (see .env.example)${hint ? `; ${hint}` : ''}`);
  }
  return v.trim();
}
