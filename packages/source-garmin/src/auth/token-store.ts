import { chmod, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, registerSecret } from '@bronze/core';

/** garth's OAuth1Token: long-lived (about a year); exchanged for OAuth2 access tokens. */
export interface OAuth1Token {
  oauth_token: string;
  oauth_token_secret: string;
  mfa_token?: string | null;
  mfa_expiration_timestamp?: string | null;
  domain?: string | null;
}

/** garth's OAuth2Token: the bearer token the Connect API takes (about a day). */
export interface OAuth2Token {
  scope?: string;
  jti?: string;
  token_type?: string;
  access_token: string;
  refresh_token?: string;
  expires_in?: number;
  /** Unix seconds. */
  expires_at: number;
  refresh_token_expires_in?: number;
  refresh_token_expires_at?: number;
}

export interface GarminTokens {
  oauth1?: OAuth1Token;
  oauth2?: OAuth2Token;
  /** Other keys of the file (kept as they were when the file is written back). */
  extra: Record<string, unknown>;
  /** 'file' (one JSON file) or 'garth-dir' (garth.save() folder with oauth1/oauth2_token.json). */
  layout: 'file' | 'garth-dir';
}

export const TOKEN_HELP = [
  'Create it once with garth (the library python-garminconnect uses; it signs in like the Garmin Connect app, MFA included):',
  '  pip install garth',
  `  python3 -c "import garth, getpass; garth.login(input('Garmin email: '), getpass.getpass()); garth.save('~/.garth')"`,
  'then point GARMIN_TOKEN_FILE at that folder (GARMIN_TOKEN_FILE=~/.garth), or combine it into one file:',
  `  python3 -c "import json,os; d=os.path.expanduser('~/.garth'); json.dump({k: json.load(open(f'{d}/{k}_token.json')) for k in ('oauth1','oauth2')}, open('configs/credentials/garmin.json','w'))" && chmod 600 configs/credentials/garmin.json`,
].join('\n');

function parseText(text: string, path: string): unknown {
  const t = text.trim();
  try {
    if (t.startsWith('{') || t.startsWith('[')) return JSON.parse(t);
    // garth.client.dumps(): base64 of [oauth1, oauth2].
    return JSON.parse(Buffer.from(t, 'base64').toString('utf8'));
  } catch {
    throw new ConfigError(`${path}: not a Garmin token file (expected garth's token JSON)\n${TOKEN_HELP}`);
  }
}

function shapeOf(value: unknown, path: string): Omit<GarminTokens, 'layout'> {
  if (Array.isArray(value) && value.length === 2) return { oauth1: value[0] as OAuth1Token, oauth2: value[1] as OAuth2Token, extra: {} };
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if ('oauth1' in v || 'oauth2' in v) {
      const { oauth1, oauth2, ...extra } = v;
      return { oauth1: oauth1 as OAuth1Token | undefined, oauth2: oauth2 as OAuth2Token | undefined, extra };
    }
    if (typeof v.access_token === 'string') return { oauth2: v as unknown as OAuth2Token, extra: {} };
  }
  throw new ConfigError(`${path}: holds no Garmin tokens (no oauth1/oauth2 keys, no access_token)\n${TOKEN_HELP}`);
}

function registerAll(t: Omit<GarminTokens, 'layout'>): void {
  registerSecret(t.oauth1?.oauth_token);
  registerSecret(t.oauth1?.oauth_token_secret);
  registerSecret(t.oauth1?.mfa_token ?? undefined);
  registerSecret(t.oauth2?.access_token);
  registerSecret(t.oauth2?.refresh_token);
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(`${path}: cannot read the Garmin token file (${(err as NodeJS.ErrnoException).code})`);
  }
}

export async function loadTokens(path: string): Promise<GarminTokens> {
  const st = await stat(path).catch(() => undefined);
  if (!st) throw new ConfigError(`Garmin token file ${path} does not exist (set GARMIN_TOKEN_FILE to another path).\n${TOKEN_HELP}`);
  if (st.isDirectory()) {
    const one = await readOptional(join(path, 'oauth1_token.json'));
    const two = await readOptional(join(path, 'oauth2_token.json'));
    if (!one && !two) throw new ConfigError(`${path}: folder without oauth1_token.json or oauth2_token.json\n${TOKEN_HELP}`);
    const tokens = {
      oauth1: one ? (parseText(one, join(path, 'oauth1_token.json')) as OAuth1Token) : undefined,
      oauth2: two ? (parseText(two, join(path, 'oauth2_token.json')) as OAuth2Token) : undefined,
      extra: {},
    };
    registerAll(tokens);
    return { ...tokens, layout: 'garth-dir' };
  }
  const tokens = shapeOf(parseText(await readFile(path, 'utf8'), path), path);
  registerAll(tokens);
  return { ...tokens, layout: 'file' };
}

async function writePrivate(path: string, text: string): Promise<void> {
  // Write beside, then rename: a crash never leaves a half-written token file.
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text, { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, path);
}

/** Persists refreshed tokens where they came from, readable by the owner only (0600). */
export async function saveTokens(path: string, t: GarminTokens): Promise<void> {
  registerAll(t);
  if (t.layout === 'garth-dir') {
    await writePrivate(join(path, 'oauth2_token.json'), `${JSON.stringify(t.oauth2, null, 4)}\n`);
    return;
  }
  await writePrivate(path, `${JSON.stringify({ ...t.extra, oauth1: t.oauth1, oauth2: t.oauth2 }, null, 2)}\n`);
}
