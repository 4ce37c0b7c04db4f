import { createHash, randomBytes } from 'node:crypto';
import { ConfigError } from '../errors.js';
import { HttpError } from '../http/client.js';
import { registerSecret } from '../secrets.js';
import { registerTokenSecrets, tokenFilePath, type OAuth2Tokens } from './oauth2.js';
import { writeTokenFile } from './token-file.js';
import type { AuthContext, AuthorizeSpec } from './types.js';

export type { AuthorizeSpec } from './types.js';

export interface PendingAuthorization {
  url: string;
  state: string;
  redirectUri: string;
  verifier?: string;
}

const base64url = (b: Buffer) => b.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** The URL the user opens, with a fresh `state` (and PKCE verifier, kept by the caller). */
export function startAuthorization(spec: AuthorizeSpec, redirectUri: string): PendingAuthorization {
  const state = base64url(randomBytes(16));
  const url = new URL(spec.authorizeUrl);
  url.searchParams.set('client_id', spec.clientId);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('scope', spec.scopes.join(spec.scopeSeparator ?? ' '));
  url.searchParams.set('state', state);
  for (const [k, v] of Object.entries(spec.extraParams ?? {})) url.searchParams.set(k, v);
  let verifier: string | undefined;
  if (spec.pkce) {
    verifier = base64url(randomBytes(48));
    url.searchParams.set('code_challenge_method', 'S256');
    url.searchParams.set('code_challenge', base64url(createHash('sha256').update(verifier).digest()));
  }
  return { url: url.toString(), state, redirectUri, verifier };
}

/**
 * The code from what the user pasted: the code itself, or the whole redirect URL (whose
 * `state` must match, and whose `error` is reported).
 */
export function codeFromInput(input: string, pending: PendingAuthorization): string {
  const text = input.trim();
  if (!/^https?:\/\//.test(text)) return text;
  const u = new URL(text);
  const error = u.searchParams.get('error');
  if (error) throw new ConfigError(`the service did not authorize bronze: ${error}`);
  if (u.searchParams.get('state') !== pending.state) throw new ConfigError('the pasted URL is not the answer to this sign-in (its state differs); start again');
  const code = u.searchParams.get('code');
  if (!code) throw new ConfigError('the pasted URL holds no ?code=');
  return code;
}

/** Exchanges the code for tokens and writes them (0600) where the source's oauth2Auth reads them. */
export async function completeAuthorization(spec: AuthorizeSpec, pending: PendingAuthorization, code: string, a: AuthContext): Promise<{ path: string; tokens: OAuth2Tokens }> {
  registerSecret(code);
  registerSecret(spec.clientSecret);
  const form: Record<string, string> = { grant_type: 'authorization_code', code, redirect_uri: pending.redirectUri, client_id: spec.clientId };
  if (spec.clientSecret) form.client_secret = spec.clientSecret;
  if (pending.verifier) form.code_verifier = pending.verifier;
  let body: OAuth2Tokens | null;
  try {
    body = (await a.http.json<OAuth2Tokens | null>({ path: spec.tokenUrl, method: 'POST', form })).body;
  } catch (err) {
    if (err instanceof HttpError && err.status >= 400 && err.status < 500) throw new ConfigError(`${a.source}: the service refused the authorization code (${err.status}); codes are single-use and expire within minutes: run the command again`);
    throw err;
  }
  if (!body?.access_token) throw new ConfigError(`${a.source}: the token endpoint answered without an access_token`);
  const now = Math.floor(a.now().getTime() / 1000);
  const tokens: OAuth2Tokens = { ...body, ...(body.expires_at === undefined && typeof body.expires_in === 'number' ? { expires_at: now + body.expires_in } : {}) };
  registerTokenSecrets(tokens);
  const path = tokenFilePath(spec.tokenFile ?? `configs/credentials/${a.source}.json`, a.root);
  await writeTokenFile(path, { kind: 'file', text: `${JSON.stringify(tokens, null, 2)}\n` });
  return { path, tokens };
}
