import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadSettings, redact, SettingsSchema } from '../src/index.js';

const project = (dotenv?: string) => {
  const root = mkdtempSync(join(tmpdir(), 'bronze-settings-'));
  writeFileSync(join(root, 'pnpm-workspace.yaml'), '');
  if (dotenv !== undefined) writeFileSync(join(root, '.env'), dotenv);
  return root;
};

describe('loadSettings', () => {
  it('merges .env under the environment without writing process.env, and finds the root from a subfolder', () => {
    const root = project('FROM_DOTENV=1\nBOTH=dotenv\nEMPTY_IN_ENV=dotenv\nSOME_API_TOKEN=a-secret-from-dotenv\n');
    const sub = join(root, 'packages', 'x');
    mkdirSync(sub, { recursive: true });
    const env = { BOTH: 'env', EMPTY_IN_ENV: '', INIT_CWD: root };
    const before = { ...process.env };
    const s = loadSettings({ env, cwd: sub });
    expect(Value.Check(SettingsSchema, s)).toBe(true);
    expect(s).toMatchObject({ root, invocationDir: root, logLevel: 'info', database: { engine: 'pglite', dataDir: join(root, 'data', 'bronze') } });
    expect(s.env).toMatchObject({ FROM_DOTENV: '1', BOTH: 'env', EMPTY_IN_ENV: 'dotenv' });
    expect(process.env).toEqual(before);
    expect(env).toEqual({ BOTH: 'env', EMPTY_IN_ENV: '', INIT_CWD: root });
    expect(redact('token a-secret-from-dotenv')).not.toContain('a-secret-from-dotenv');
  });

  it('chooses the database in one place: DATABASE_URL, else PG_HOST…, else BRONZE_DATA_DIR against the root', () => {
    const root = project();
    expect(loadSettings({ env: { BRONZE_HOME: root, DATABASE_URL: 'postgres://u:pw-1234@h/db' } }).database).toEqual({ engine: 'postgres', url: 'postgres://u:pw-1234@h/db' });
    expect(loadSettings({ env: { BRONZE_HOME: root, PG_HOST: 'db.local', PG_USER: 'me' } }).database).toEqual({ engine: 'postgres', url: 'postgres://me@db.local:5432/bronze' });
    expect(loadSettings({ env: { BRONZE_HOME: root, BRONZE_DATA_DIR: 'elsewhere/db' } }).database).toEqual({ engine: 'pglite', dataDir: join(root, 'elsewhere/db') });
    loadSettings({ env: { BRONZE_HOME: root, DATABASE_URL: 'postgres://u:pw-5678@h/db' } });
    expect(redact('x pw-5678')).not.toContain('pw-5678');
  });

  it('refuses an unknown LOG_LEVEL and a .env with lines that are not KEY=VALUE, naming them', () => {
    const root = project('# ok\nA=1\nMULTI="line one\nline two"\nexport B=2\noops\nC: 3\n\n  = nothing\n');
    expect(() => loadSettings({ env: { BRONZE_HOME: root } })).toThrow(new ConfigError(`${join(root, '.env')}: lines 6, 9 are not KEY=VALUE (nor a # comment)`));
    expect(() => loadSettings({ env: { BRONZE_HOME: project(), LOG_LEVEL: 'loud' } })).toThrow('LOG_LEVEL=loud is not a log level (allowed: error, warn, info, http, verbose, debug, silly)');
    expect(loadSettings({ env: { BRONZE_HOME: project(), LOG_LEVEL: 'DEBUG' } }).logLevel).toBe('debug');
  });
});
