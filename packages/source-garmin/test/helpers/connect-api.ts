import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@bronze/core';
import type { Fixture } from '@bronze/testkit';
import { FIXTURES } from './export-zip.js';

/** A response recorded from Garmin Connect by garth's tests: {_origin_request, _response_status, body}. */
export function recorded(name: string): { body: any; path: string; query: Record<string, string> } {
  const r = JSON.parse(readFileSync(join(FIXTURES, 'connect_api', `${name}.json`), 'utf8'));
  const uri = new URL(r._origin_request.uri);
  return { body: r.body, path: uri.pathname, query: Object.fromEntries(uri.searchParams) };
}

/** A fixture answering the request a recording was made with, with its recorded body. */
export function replay(name: string, extra: Partial<Fixture> = {}): Fixture {
  const r = recorded(name);
  return { name, request: { path: r.path, query: r.query }, response: { body: r.body }, times: 'always', ...extra };
}

// Distinctive token values, searched for in logs, errors and rows.
export const OLD_ACCESS = 'access-OLD-7c1e5b0a9d';
export const OLD_REFRESH = 'refresh-OLD-44fe01b2c3';
export const NEW_ACCESS = 'access-NEW-9a8b7c6d5e';
export const NEW_REFRESH = 'refresh-NEW-1f2e3d4c5b';
export const OAUTH1_TOKEN = 'oauth1-token-5566778899';
export const OAUTH1_SECRET = 'oauth1-secret-0011223344';
export const CONSUMER_SECRET = 'consumer-secret-abcdef9876';
export const ALL_SECRETS = [OLD_ACCESS, OLD_REFRESH, NEW_ACCESS, NEW_REFRESH, OAUTH1_TOKEN, OAUTH1_SECRET, CONSUMER_SECRET];

export interface TokenFileOptions {
  /** The access token expired an hour ago. */
  expired?: boolean;
  /** No OAuth1 token to renew with; the refresh token expired too. */
  noOauth1?: boolean;
}

export function writeTokenFile(o: TokenFileOptions = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const path = join(mkdtempSync(join(tmpdir(), 'garmin-token-')), 'garmin.json');
  const oauth2 = {
    scope: 'CONNECT_READ', jti: 'jti-1', token_type: 'Bearer', access_token: OLD_ACCESS, refresh_token: OLD_REFRESH,
    expires_in: 86400, expires_at: o.expired ? now - 3600 : now + 86400, refresh_token_expires_in: 2592000,
    refresh_token_expires_at: o.noOauth1 ? now - 60 : now + 2592000,
  };
  const oauth1 = { oauth_token: OAUTH1_TOKEN, oauth_token_secret: OAUTH1_SECRET, mfa_token: null, mfa_expiration_timestamp: null, domain: 'garmin.com' };
  writeFileSync(path, JSON.stringify(o.noOauth1 ? { oauth2 } : { oauth1, oauth2 }), { mode: 0o600 });
  return path;
}

/** The token exchange as recorded, with its sanitized tokens replaced by the new ones. */
export function exchangeFixture(extra: Partial<Fixture> = {}): Fixture {
  const r = recorded('garth_oauth2_exchange_response_SANITIZED');
  return {
    name: 'token exchange',
    request: { method: 'POST', path: r.path },
    response: { body: { ...r.body, access_token: NEW_ACCESS, refresh_token: NEW_REFRESH, jti: 'jti-2' } },
    ...extra,
  };
}

export const consumerFixture: Fixture = {
  name: 'oauth consumer',
  request: { path: '/oauth_consumer.json' },
  response: { body: { consumer_key: 'consumer-key-1234', consumer_secret: CONSUMER_SECRET } },
  times: 'always',
};

export function garminEnv(url: string, tokenFile: string, extra: Record<string, string> = {}): Record<string, string> {
  return { GARMIN_BASE_URL: url, GARMIN_TOKEN_FILE: tokenFile, GARMIN_OAUTH_CONSUMER_URL: `${url}/oauth_consumer.json`, GARMIN_START_DATE: '2023-07-19', ...extra };
}

/** A logger keeping every line as given to it (before any redaction), to prove no secret reaches it. */
export function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = new Proxy({}, {
    get: (_t, key) => (key === 'child' ? () => logger : (...args: unknown[]) => void lines.push(`${String(key)} ${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}`)),
  }) as Logger;
  return { logger, lines };
}
