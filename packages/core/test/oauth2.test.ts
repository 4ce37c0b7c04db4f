import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import winston from 'winston';
import { ConfigError, createLogger, createSourceContext, defineSource, oauth2Auth, redact, Type, type OAuth2Options, type OAuth2Tokens } from '../src/index.js';
import { startApiServer } from './api-server.js';

const NOW = Date.parse('2024-06-01T12:00:00Z') / 1000;
const RELOGIN = 'pnpm bronze auth oauthy';

/** The token endpoint rotates the refresh token on every use, as Strava and Spotify may. */
let refreshes: Record<string, string>[] = [];
let refuseRefresh = false;
let apiRefusals = 0;
const seenOnDisk: string[] = [];
let tokenFile = '';
let server: Awaited<ReturnType<typeof startApiServer>>;
beforeAll(async () => {
  server = await startApiServer(async (url, _method, headers) => {
    if (url.pathname === '/api/me') {
      // What is on disk when the next API request arrives: the rotated refresh token must be.
      seenOnDisk.push(String((JSON.parse(readFileSync(tokenFile, 'utf8')) as OAuth2Tokens).refresh_token));
      if (apiRefusals > 0) {
        apiRefusals--;
        return { status: 401, body: { message: 'Authorization Error' } };
      }
      return { body: { authorization: headers.authorization } };
    }
    return { status: 404, body: null };
  });
});
afterAll(() => server.close());

/** A separate server for the token endpoint, so the form body can be read. */
async function tokenEndpoint() {
  const { createServer } = await import('node:http');
  const s = createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(text));
      refreshes.push({ ...form, contentType: String(req.headers['content-type']) });
      if (refuseRefresh) return res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_grant' }));
      const n = refreshes.length;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: `access-${n}-abcdef`, refresh_token: `refresh-${n}-abcdef`, expires_in: 21600, token_type: 'Bearer' }));
    });
  });
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${(s.address() as { port: number }).port}/oauth/token`, close: () => new Promise<void>((ok) => s.close(() => ok())) };
}

function contextFor(options: Partial<OAuth2Options>, lines: string[]) {
  const root = mkdtempSync(join(tmpdir(), 'bronze-oauth-'));
  tokenFile = join(root, 'configs/credentials/oauthy.json');
  const source = defineSource({
    name: 'oauthy', version: '1', description: 't', config: Type.Object({}), configure: () => ({}), baseUrl: server.url, streams: () => [],
    auth: (_c, a) => oauth2Auth({ relogin: RELOGIN, clientId: 'client-1', clientSecret: 'client-secret-xyz', ...options }, a),
  });
  const logger = createLogger({ json: true, level: 'debug' });
  for (const t of logger.transports) t.silent = true;
  logger.add(new winston.transports.Stream({ stream: new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }) }));
  const ctx = createSourceContext(source, {}, { logger, signal: new AbortController().signal, root, env: { OAUTHY_BASE_URL: server.url }, now: () => new Date(NOW * 1000) });
  return { ctx, root };
}

function writeTokens(t: OAuth2Tokens) {
  mkdirSync(join(tokenFile, '..'), { recursive: true });
  writeFileSync(tokenFile, JSON.stringify(t), { mode: 0o600 });
}

describe('OAuth2 strategy', () => {
  let token: Awaited<ReturnType<typeof tokenEndpoint>>;
  beforeAll(async () => {
    token = await tokenEndpoint();
  });
  afterAll(() => token.close());
  const reset = () => {
    refreshes = [];
    refuseRefresh = false;
    apiRefusals = 0;
    seenOnDisk.length = 0;
  };

  it('an expired access token is renewed first; the rotated refresh token is on disk (0600) before the next request', async () => {
    reset();
    const lines: string[] = [];
    const { ctx } = contextFor({ tokenUrl: token.url }, lines);
    writeTokens({ access_token: 'access-old-abcdef', refresh_token: 'refresh-old-abcdef', expires_at: NOW - 10, athlete: { id: 7 } });
    const res = await ctx.http.json<{ authorization: string }>({ path: 'api/me' });
    expect(res.body.authorization).toBe('Bearer access-1-abcdef');
    expect(refreshes).toEqual([{ grant_type: 'refresh_token', refresh_token: 'refresh-old-abcdef', client_id: 'client-1', client_secret: 'client-secret-xyz', contentType: 'application/x-www-form-urlencoded' }]);
    expect(seenOnDisk).toEqual(['refresh-1-abcdef']);
    const saved = JSON.parse(readFileSync(tokenFile, 'utf8')) as OAuth2Tokens;
    expect(saved).toMatchObject({ access_token: 'access-1-abcdef', refresh_token: 'refresh-1-abcdef', expires_at: NOW + 21600, athlete: { id: 7 } });
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    // A valid token is used as it is: no second renewal.
    await ctx.http.json({ path: 'api/me' });
    expect(refreshes).toHaveLength(1);
    for (const secret of ['access-old-abcdef', 'refresh-old-abcdef', 'access-1-abcdef', 'refresh-1-abcdef', 'client-secret-xyz']) {
      expect(redact(`x ${secret} y`)).not.toContain(secret);
      expect(lines.join('\n')).not.toContain(secret);
    }
  });

  it('a 401 on a valid token renews once and asks again; a second 401 is final, with the re-login advice', async () => {
    reset();
    const { ctx } = contextFor({ tokenUrl: token.url }, []);
    writeTokens({ access_token: 'access-old-abcdef', refresh_token: 'refresh-old-abcdef', expires_at: NOW + 3600 });
    apiRefusals = 1;
    expect((await ctx.http.json<{ authorization: string }>({ path: 'api/me' })).body.authorization).toBe('Bearer access-1-abcdef');
    expect(refreshes).toHaveLength(1);
    apiRefusals = 2;
    const err = (await ctx.http.json({ path: 'api/me' }).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/answered 401 \(credentials refused; not retried\).*sign in again: pnpm bronze auth oauthy/);
    expect(refreshes).toHaveLength(2);
  });

  it('a refused refresh fails with the exact re-login command and leaves the token file as it was', async () => {
    reset();
    refuseRefresh = true;
    const { ctx } = contextFor({ tokenUrl: token.url }, []);
    writeTokens({ access_token: 'access-old-abcdef', refresh_token: 'refresh-old-abcdef', expires_at: NOW - 10 });
    const before = readFileSync(tokenFile, 'utf8');
    const err = (await ctx.http.json({ path: 'api/me' }).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toBe(`oauthy: the service refused to renew the access token (400 at /oauth/token): the refresh token was revoked or has expired; sign in again: ${RELOGIN}`);
    expect(readFileSync(tokenFile, 'utf8')).toBe(before);
    expect(refreshes).toHaveLength(1);
  });

  it('no token file: the error names the path and how to sign in', async () => {
    reset();
    const { ctx, root } = contextFor({ tokenUrl: token.url }, []);
    const err = (await ctx.http.json({ path: 'api/me' }).catch((e: unknown) => e)) as Error;
    expect(err.message).toBe(`oauthy: no token file at ${join(root, 'configs/credentials/oauthy.json')}; sign in first: ${RELOGIN}`);
  });

  it('a plugin renews its own way and a codec keeps the file in the service format (Garmin)', async () => {
    reset();
    const { ctx } = contextFor({
      renew: async (t) => ({ ...t, access_token: 'plugin-access-abcdef', expires_in: 3600, expires_at: undefined }),
      codec: {
        decode: (c) => {
          const doc = JSON.parse((c as { text: string }).text) as { oauth1: unknown; oauth2: OAuth2Tokens };
          return { ...doc.oauth2, oauth1: doc.oauth1 };
        },
        encode: ({ oauth1, ...oauth2 }) => ({ kind: 'file', text: JSON.stringify({ oauth1, oauth2 }) }),
      },
    }, []);
    mkdirSync(join(tokenFile, '..'), { recursive: true });
    writeFileSync(tokenFile, JSON.stringify({ oauth1: { oauth_token: 'o1-abcdef' }, oauth2: { access_token: 'old-abcdef', refresh_token: 'refresh-old-abcdef', expires_at: NOW - 1 } }));
    expect((await ctx.http.json<{ authorization: string }>({ path: 'api/me' }).catch(() => ({ body: { authorization: '' } }))).body.authorization).toBe('Bearer plugin-access-abcdef');
    const saved = JSON.parse(readFileSync(tokenFile, 'utf8'));
    expect(saved).toEqual({ oauth1: { oauth_token: 'o1-abcdef' }, oauth2: { access_token: 'plugin-access-abcdef', refresh_token: 'refresh-old-abcdef', expires_in: 3600, expires_at: NOW + 3600 } });
    expect(refreshes).toEqual([]);
  });
});
