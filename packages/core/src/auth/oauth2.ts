import { isAbsolute, join, resolve } from 'node:path';
import { homedir } from 'node:os';
import { ConfigError } from '../errors.js';
import { HttpError } from '../http/client.js';
import { registerSecret } from '../secrets.js';
import { readTokenFile, writeTokenFile, type TokenFileContent } from './token-file.js';
import type { AuthContext, AuthStrategy } from './types.js';

/** An OAuth2 token set as stored (RFC 6749 §5.1 fields, plus absolute expiry times in Unix seconds). */
export interface OAuth2Tokens {
  access_token?: string;
  refresh_token?: string;
  token_type?: string;
  expires_in?: number;
  /** Unix seconds. */
  expires_at?: number;
  refresh_token_expires_in?: number;
  refresh_token_expires_at?: number;
  [key: string]: unknown;
}

/** A token file format other than plain JSON of OAuth2Tokens (Garmin's garth files). */
export interface TokenCodec {
  decode(content: TokenFileContent, path: string): OAuth2Tokens;
  encode(tokens: OAuth2Tokens, previous: TokenFileContent | undefined): TokenFileContent;
}

export interface OAuth2Options {
  /** Token file; relative to the project root, `~/` allowed. Default configs/credentials/<source>.json. */
  tokenFile?: string;
  /** The token endpoint of the refresh grant (RFC 6749 §6). */
  tokenUrl?: string;
  clientId?: string;
  clientSecret?: string;
  /** The exact way to sign in again, shown when renewal is refused or impossible. */
  relogin: string;
  /** Renew this long before expires_at (seconds, default 300). */
  expiryMarginS?: number;
  /** A service's own renewal (a plugin: Garmin exchanges its OAuth1 token) instead of the refresh grant. */
  renew?: (tokens: OAuth2Tokens, a: AuthContext) => Promise<OAuth2Tokens>;
  codec?: TokenCodec;
}

export function tokenFilePath(file: string, root: string): string {
  const p = file.startsWith('~/') ? join(homedir(), file.slice(2)) : file;
  return isAbsolute(p) ? p : resolve(root, p);
}

const jsonCodec: TokenCodec = {
  decode(content, path) {
    if (content.kind !== 'file') throw new ConfigError(`${path}: a folder, expected a JSON token file`);
    try {
      const v = JSON.parse(content.text) as unknown;
      if (v && typeof v === 'object' && !Array.isArray(v)) return v as OAuth2Tokens;
    } catch {
      /* reported below */
    }
    throw new ConfigError(`${path}: not a JSON token file`);
  },
  encode: (tokens) => ({ kind: 'file', text: `${JSON.stringify(tokens, null, 2)}\n` }),
};

export function registerTokenSecrets(t: OAuth2Tokens): void {
  registerSecret(t.access_token);
  registerSecret(t.refresh_token);
}

/**
 * OAuth2 bearer tokens from a token file, renewed when expired (or refused once with 401) and
 * written back atomically (0600) before the new access token is used, so a rotated refresh
 * token is never lost to a crash.
 */
export function oauth2Auth(o: OAuth2Options, a: AuthContext): AuthStrategy & { path: string; tokens(): Promise<OAuth2Tokens> } {
  const path = tokenFilePath(o.tokenFile ?? `configs/credentials/${a.source}.json`, a.root);
  const codec = o.codec ?? jsonCodec;
  const margin = o.expiryMarginS ?? 300;
  let tokens: OAuth2Tokens | undefined;
  let previous: TokenFileContent | undefined;
  let renewing: Promise<void> | undefined;
  const refused = (detail: string) => new ConfigError(`${a.source}: ${detail}; sign in again: ${o.relogin}`);

  async function load(): Promise<OAuth2Tokens> {
    if (tokens) return tokens;
    previous = await readTokenFile(path);
    if (!previous) throw new ConfigError(`${a.source}: no token file at ${path}; sign in first: ${o.relogin}`);
    tokens = codec.decode(previous, path);
    registerTokenSecrets(tokens);
    return tokens;
  }

  async function refreshGrant(t: OAuth2Tokens): Promise<OAuth2Tokens> {
    if (!t.refresh_token) throw refused(`the access token in ${path} cannot be renewed: the file holds no refresh_token`);
    if (!o.tokenUrl) throw refused('no token endpoint to renew the access token with');
    registerSecret(o.clientSecret);
    const form: Record<string, string> = { grant_type: 'refresh_token', refresh_token: t.refresh_token };
    if (o.clientId) form.client_id = o.clientId;
    if (o.clientSecret) form.client_secret = o.clientSecret;
    let body: OAuth2Tokens | null;
    try {
      body = (await a.http.json<OAuth2Tokens | null>({ path: o.tokenUrl, method: 'POST', form })).body;
    } catch (err) {
      if (err instanceof HttpError && err.status >= 400 && err.status < 500) throw refused(`the service refused to renew the access token (${err.status} at ${err.endpoint}): the refresh token was revoked or has expired`);
      throw err;
    }
    if (!body?.access_token) throw refused(`the token endpoint answered without an access_token`);
    return { ...t, ...body, refresh_token: body.refresh_token ?? t.refresh_token };
  }

  async function renewNow(why: string): Promise<void> {
    const t = await load();
    const fresh = o.renew ? await o.renew(t, a) : await refreshGrant(t);
    registerTokenSecrets(fresh);
    const now = Math.floor(a.now().getTime() / 1000);
    const next: OAuth2Tokens = { ...fresh };
    if (typeof fresh.expires_in === 'number' && (fresh.expires_at === undefined || fresh.expires_at === t.expires_at)) next.expires_at = now + fresh.expires_in;
    if (typeof fresh.refresh_token_expires_in === 'number' && fresh.refresh_token_expires_at === t.refresh_token_expires_at) next.refresh_token_expires_at = now + fresh.refresh_token_expires_in;
    // On disk before use: a rotated refresh token is the only one that works from now on.
    previous = codec.encode(next, previous);
    await writeTokenFile(path, previous);
    tokens = next;
    a.logger.info(`${a.source}: access token renewed (${why}); saved to ${path}`);
  }

  function renew(why: string): Promise<void> {
    renewing ??= renewNow(why).finally(() => (renewing = undefined));
    return renewing;
  }

  return {
    path,
    advice: `sign in again: ${o.relogin}`,
    tokens: load,
    async headers() {
      const t = await load();
      const now = a.now().getTime() / 1000;
      if (!t.access_token) await renew('is missing from the token file');
      else if (t.expires_at !== undefined && !(t.expires_at > now + margin)) await renew('has expired');
      return { authorization: `Bearer ${tokens!.access_token}` };
    },
    async renew(why) {
      await renew(why);
      return true;
    },
  };
}
