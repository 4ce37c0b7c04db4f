import { ConfigError, HttpError, registerSecret, tokenFilePath, type AuthContext, type OAuth2Tokens } from '@bronze/core';
import type { GarminConfig } from '../config.js';
import { GARTH_LOGIN, type GarminTokens } from './garth-codec.js';
import { oauth1Header } from './oauth1.js';

const EXCHANGE_PATH = 'oauth-service/oauth/exchange/user/2.0';

/** garth fetches the Connect app's consumer key the same way; the URL (and the key) can be overridden. */
async function consumerOf(config: GarminConfig, tokens: GarminTokens, a: AuthContext): Promise<{ key: string; secret: string }> {
  if (config.consumerKey && config.consumerSecret) return { key: config.consumerKey, secret: config.consumerSecret };
  let c = tokens.consumer;
  if (!c?.consumer_key) c = (await a.http.json<GarminTokens['consumer'] | null>({ path: config.consumerUrl })).body ?? undefined;
  if (!c?.consumer_key || !c.consumer_secret) throw new ConfigError('no OAuth consumer key to renew the Garmin token with (set GARMIN_OAUTH_CONSUMER_KEY and GARMIN_OAUTH_CONSUMER_SECRET)');
  registerSecret(c.consumer_secret);
  return { key: c.consumer_key, secret: c.consumer_secret };
}

/**
 * Garmin's renewal, as garth and the Connect app do it (a plugin of core's oauth2Auth): the
 * long-lived OAuth1 token is exchanged for a new OAuth2 token with an OAuth 1.0a signed POST.
 * Core writes the result back (0600, atomically) before it is used.
 */
export function exchangeOAuth1(config: GarminConfig) {
  return async (current: OAuth2Tokens, a: AuthContext): Promise<GarminTokens> => {
    const tokens = current as GarminTokens;
    const path = tokenFilePath(config.tokenFile, a.root);
    const o1 = tokens.oauth1;
    const nowS = Math.floor(a.now().getTime() / 1000);
    if (!o1?.oauth_token || !o1.oauth_token_secret) {
      const state = !tokens.access_token ? 'is missing' : tokens.expires_at !== undefined && tokens.expires_at <= nowS ? 'has expired' : 'was refused';
      const refreshExpiry = tokens.refresh_token_expires_at;
      const detail = refreshExpiry !== undefined && refreshExpiry < nowS ? `its refresh token expired on ${new Date(refreshExpiry * 1000).toISOString()}` : 'the file holds no oauth1 token to renew it with';
      throw new ConfigError(`The Garmin access token in ${path} ${state} and cannot be renewed: ${detail}; sign in again: ${GARTH_LOGIN}`);
    }
    const consumer = await consumerOf(config, tokens, a);
    const url = new URL(EXCHANGE_PATH, config.baseUrl.endsWith('/') ? config.baseUrl : `${config.baseUrl}/`).toString();
    const query: Record<string, string> = o1.mfa_token ? { mfa_token: o1.mfa_token } : {};
    const signed = oauth1Header('POST', `${url}${o1.mfa_token ? `?mfa_token=${encodeURIComponent(o1.mfa_token)}` : ''}`, {}, {
      consumerKey: consumer.key, consumerSecret: consumer.secret, token: o1.oauth_token, tokenSecret: o1.oauth_token_secret,
    });
    let body: OAuth2Tokens | null;
    try {
      body = (await a.http.json<OAuth2Tokens | null>({ path: url, method: 'POST', query, headers: { authorization: signed, 'content-type': 'application/x-www-form-urlencoded' } })).body;
    } catch (err) {
      if (err instanceof HttpError && (err.status === 401 || err.status === 403)) {
        throw new ConfigError(`Garmin refused to renew the session (status ${err.status}): the token in ${path} has expired or was revoked; sign in again: ${GARTH_LOGIN}`);
      }
      throw err;
    }
    if (!body?.access_token) throw new ConfigError(`Garmin's token exchange answered without an access token; sign in again: ${GARTH_LOGIN}`);
    // A whole new OAuth2 token (garth replaces it too), with absolute expiry times.
    const { oauth1, consumer: inFile } = tokens;
    return {
      ...body,
      expires_at: nowS + (typeof body.expires_in === 'number' ? body.expires_in : 3600),
      ...(typeof body.refresh_token_expires_in === 'number' ? { refresh_token_expires_at: nowS + body.refresh_token_expires_in } : {}),
      oauth1,
      ...(inFile ? { consumer: inFile } : {}),
    };
  };
}
