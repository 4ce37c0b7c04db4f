import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { ConfigError, HttpError, registerSecret, type SourceContext } from '@bronze/core';
import type { GarminConfig } from '../config.js';
import { oauth1Header } from './oauth1.js';
import { loadTokens, saveTokens, TOKEN_HELP, type GarminTokens, type OAuth2Token } from './token-store.js';

/** Renew the access token this long before it expires, so no request carries a dying token. */
const EXPIRY_MARGIN_S = 300;
const EXCHANGE_PATH = 'oauth-service/oauth/exchange/user/2.0';

export function tokenPath(config: GarminConfig, root: string): string {
  const p = config.tokenFile.startsWith('~/') ? join(homedir(), config.tokenFile.slice(2)) : config.tokenFile;
  return isAbsolute(p) ? p : resolve(root, p);
}

/**
 * The signed-in state of one run: the tokens from the token file, renewed when the access
 * token expires (or a request is refused with 401) the way Garmin Connect's own app and garth
 * do it — the long-lived OAuth1 token is exchanged for a new OAuth2 token — and written back.
 */
export class GarminSession {
  private tokens?: GarminTokens;
  readonly path: string;

  constructor(
    private readonly config: GarminConfig,
    private readonly ctx: SourceContext,
  ) {
    this.path = tokenPath(config, ctx.root);
  }

  /** The Authorization header value, renewing the access token first when needed. */
  async authorization(force = false): Promise<string> {
    this.tokens ??= await loadTokens(this.path);
    const o2 = this.tokens.oauth2;
    const now = this.ctx.now().getTime() / 1000;
    if (force) await this.renew('was refused (401)');
    else if (!o2?.access_token) await this.renew('is missing from the token file');
    else if (!(o2.expires_at > now + EXPIRY_MARGIN_S)) await this.renew('has expired');
    return `Bearer ${this.tokens.oauth2!.access_token}`;
  }

  private async consumer(): Promise<{ key: string; secret: string }> {
    if (this.config.consumerKey && this.config.consumerSecret) return { key: this.config.consumerKey, secret: this.config.consumerSecret };
    const inFile = this.tokens?.extra.consumer as { consumer_key?: string; consumer_secret?: string } | undefined;
    let c = inFile;
    if (!c?.consumer_key) {
      // garth fetches the Connect app's consumer key the same way; the URL can be overridden.
      const res = await this.ctx.http.json<{ consumer_key?: string; consumer_secret?: string }>({ path: this.config.consumerUrl });
      c = res.body ?? undefined;
    }
    if (!c?.consumer_key || !c.consumer_secret) throw new ConfigError(`no OAuth consumer key to renew the Garmin token with (set GARMIN_OAUTH_CONSUMER_KEY and GARMIN_OAUTH_CONSUMER_SECRET)`);
    registerSecret(c.consumer_secret);
    return { key: c.consumer_key, secret: c.consumer_secret };
  }

  private async renew(why: string): Promise<void> {
    const t = this.tokens!;
    const o1 = t.oauth1;
    if (!o1?.oauth_token || !o1.oauth_token_secret) {
      const refreshExpired = t.oauth2?.refresh_token_expires_at !== undefined && t.oauth2.refresh_token_expires_at * 1000 < this.ctx.now().getTime();
      const detail = refreshExpired ? `its refresh token expired on ${new Date(t.oauth2!.refresh_token_expires_at! * 1000).toISOString()}` : 'the file holds no oauth1 token to renew it with';
      throw new ConfigError(`The Garmin access token in ${this.path} ${why} and cannot be renewed: ${detail}.\n${TOKEN_HELP}`);
    }
    const consumer = await this.consumer();
    const url = new URL(EXCHANGE_PATH, this.config.baseUrl.endsWith('/') ? this.config.baseUrl : `${this.config.baseUrl}/`).toString();
    const query: Record<string, string> = o1.mfa_token ? { mfa_token: o1.mfa_token } : {};
    const signed = oauth1Header('POST', `${url}${o1.mfa_token ? `?mfa_token=${encodeURIComponent(o1.mfa_token)}` : ''}`, {}, {
      consumerKey: consumer.key, consumerSecret: consumer.secret, token: o1.oauth_token, tokenSecret: o1.oauth_token_secret,
    });
    let body: Partial<OAuth2Token> | null;
    try {
      const res = await this.ctx.http.json<Partial<OAuth2Token>>({ path: url, method: 'POST', query, headers: { authorization: signed, 'content-type': 'application/x-www-form-urlencoded' } });
      body = res.body;
    } catch (err) {
      if (err instanceof HttpError && (err.status === 401 || err.status === 403)) {
        throw new ConfigError(`Garmin refused to renew the session (status ${err.status}): the token in ${this.path} has expired or was revoked; sign in again to get a new one.\n${TOKEN_HELP}`);
      }
      throw err;
    }
    if (!body?.access_token) throw new ConfigError(`Garmin's token exchange answered without an access token; sign in again.\n${TOKEN_HELP}`);
    registerSecret(body.access_token);
    registerSecret(body.refresh_token);
    const now = Math.floor(this.ctx.now().getTime() / 1000);
    t.oauth2 = {
      ...(body as OAuth2Token),
      expires_at: now + (body.expires_in ?? 3600),
      ...(body.refresh_token_expires_in !== undefined ? { refresh_token_expires_at: now + body.refresh_token_expires_in } : {}),
    };
    await saveTokens(this.path, t);
    this.ctx.logger.info(`garmin: access token renewed (${why}); saved to ${this.path}`);
  }
}

const sessions = new WeakMap<SourceContext, GarminSession>();

/** One session per run (the context is shared by all of a run's streams). */
export function sessionFor(config: GarminConfig, ctx: SourceContext): GarminSession {
  let s = sessions.get(ctx);
  if (!s) sessions.set(ctx, (s = new GarminSession(config, ctx)));
  return s;
}
