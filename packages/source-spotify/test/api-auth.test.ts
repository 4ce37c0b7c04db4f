import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { codeFromInput, completeAuthorization, configureSource, createHttpClient, createSourceContext, silentLogger, startAuthorization, type AuthorizeSpec } from '@bronze/core';
import { describeOneEngine } from '@bronze/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import spotify, { SPOTIFY_RELOGIN, SPOTIFY_SCOPES, type SpotifyConfig } from '../src/index.js';
import { apiEnv, CLIENT_ID, runApi, tokenRoot } from './helpers/api-run.js';
import { capturingLogger, cursors, rowsPerStream, storedText } from './helpers/capture.js';
import { tempDir } from './helpers/exports.js';
import { startSpotifyApi, type SpotifyApi } from './helpers/spotify-api.js';

let api: SpotifyApi;
beforeAll(async () => {
  api = await startSpotifyApi().start();
});
afterAll(() => api.close());

const REDIRECT = 'http://127.0.0.1:8721/callback';
const configFor = (env: NodeJS.ProcessEnv) => configureSource(spotify, env, {}) as SpotifyConfig;

describe('bronze auth spotify: the authorization code grant with PKCE, through core', () => {
  it('builds the authorize URL with the five read scopes and an S256 challenge; the exchange sends the verifier, no secret; tokens land 0600', async () => {
    api.reset();
    const root = tempDir();
    const spec: AuthorizeSpec = spotify.authorize!(configFor({ ...apiEnv(api, join(root, 'configs/credentials/spotify.json')), SPOTIFY_TOKEN_FILE: '' }));
    const pending = startAuthorization(spec, REDIRECT);
    const url = new URL(pending.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${api.url}/authorize`);
    const { code_challenge: challenge, ...params } = Object.fromEntries(url.searchParams);
    expect(params).toEqual({ client_id: CLIENT_ID, response_type: 'code', redirect_uri: REDIRECT, scope: SPOTIFY_SCOPES.join(' '), state: pending.state, code_challenge_method: 'S256' });
    expect(SPOTIFY_SCOPES).toEqual(['user-read-recently-played', 'user-library-read', 'playlist-read-private', 'playlist-read-collaborative', 'user-top-read']);
    api.expectChallenge(challenge);
    const code = codeFromInput(`${REDIRECT}?code=the-auth-code-abcdef&state=${pending.state}`, pending);
    const { logger, text } = capturingLogger();
    const a = { source: 'spotify', root, http: createHttpClient({ baseUrl: `${api.url}/v1`, logger }), logger, now: () => new Date() };
    const { path, tokens } = await completeAuthorization(spec, pending, code, a);
    // The default token file, below the project root.
    expect(path).toBe(join(root, 'configs/credentials/spotify.json'));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(api.tokenForms).toEqual([{ grant_type: 'authorization_code', code: 'the-auth-code-abcdef', redirect_uri: REDIRECT, client_id: CLIENT_ID, code_verifier: pending.verifier }]);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ access_token: api.tokens().access, refresh_token: api.tokens().refresh, token_type: 'Bearer' });
    for (const secret of ['the-auth-code-abcdef', tokens.access_token!, tokens.refresh_token!, pending.verifier!]) expect(text()).not.toContain(secret);
  });

  it('a code sent without the right verifier is refused with a clear line; no SPOTIFY_CLIENT_ID: authorize says what to set', async () => {
    api.reset();
    const root = tempDir();
    const spec = spotify.authorize!(configFor(apiEnv(api, join(root, 'spotify.json'))));
    api.expectChallenge('a-challenge-of-another-sign-in');
    const pending = startAuthorization(spec, REDIRECT);
    const a = { source: 'spotify', root, http: createHttpClient({ baseUrl: `${api.url}/v1` }), logger: silentLogger(), now: () => new Date() };
    await expect(completeAuthorization(spec, pending, 'the-auth-code-abcdef', a)).rejects.toThrow('spotify: the service refused the authorization code (400); codes are single-use and expire within minutes: run the command again');
    expect(() => spotify.authorize!(configFor({}))).toThrow(/set SPOTIFY_CLIENT_ID/);
  });
});

describe('bronze check spotify', () => {
  it('names the signed-in user from GET /me; without SPOTIFY_CLIENT_ID it says what to set', async () => {
    api.reset();
    const { root, tokenFile } = tokenRoot();
    const env = apiEnv(api, tokenFile);
    const config = configFor(env);
    const ctx = createSourceContext(spotify, config, { logger: silentLogger(), signal: new AbortController().signal, root, env });
    expect(await spotify.check!(config, ctx)).toBe('Spotify token OK: signed in as ahavermale (user ahavermale, premium)');
    expect(api.calls.map((c) => [c.path, c.status])).toEqual([['/v1/me', 200]]);
    await expect(spotify.check!(configFor({}), ctx)).rejects.toThrow(/SPOTIFY_CLIENT_ID is not set/);
  });
});

describeOneEngine('spotify tokens and rate limits during runs', (db) => {
  it('an access token expiring mid-backfill is renewed once; the rotated refresh token is on disk before the next request; no secret in logs, rows, runs or metrics', async () => {
    api.reset({ maxLimit: 8, expireAccessAt: 3 });
    const { tokenFile } = tokenRoot();
    api.watch(tokenFile);
    const { logger, text } = capturingLogger();
    const endpoints: string[] = [];
    const r = await runApi(db(), api, tokenFile, { logger, onHttpResponse: (_s, e) => endpoints.push(e) });
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    // saved_tracks pages by 8: its second page (request 3) met the expired token.
    expect(api.calls.slice(0, 4).map((c) => [c.path, c.query.offset ?? '', c.status])).toEqual([
      ['/v1/me/player/recently-played', '', 200], ['/v1/me/tracks', '', 200], ['/v1/me/tracks', '8', 401], ['/v1/me/tracks', '8', 200],
    ]);
    expect(api.tokenForms).toEqual([{ grant_type: 'refresh_token', refresh_token: 'initial-refresh-token-abcdef', client_id: CLIENT_ID }]);
    const rotated = api.tokens().refresh;
    expect(rotated).not.toBe('initial-refresh-token-abcdef');
    expect(api.calls.slice(3).every((c) => c.refreshOnDisk === rotated)).toBe(true);
    expect(JSON.parse(readFileSync(tokenFile, 'utf8'))).toMatchObject({ access_token: api.tokens().access, refresh_token: rotated });
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect((await rowsPerStream(db())).saved_tracks).toBe(20);
    const everything = [text(), await storedText(db()), endpoints.join('\n'), JSON.stringify(r)].join('\n');
    for (const secret of ['initial-access-token-abcdef', 'initial-refresh-token-abcdef', api.tokens().access, rotated]) expect(everything).not.toContain(secret);
  });

  it('an access token past expires_at is renewed before the first request', async () => {
    api.reset();
    const { tokenFile } = tokenRoot({ access_token: 'initial-access-token-abcdef', refresh_token: 'initial-refresh-token-abcdef', expires_at: Math.floor(Date.now() / 1000) - 60 });
    api.watch(tokenFile);
    const r = await runApi(db(), api, tokenFile);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    expect(api.tokenForms).toHaveLength(1);
    expect(api.calls.every((c) => c.status === 200 && c.refreshOnDisk === api.tokens().refresh)).toBe(true);
  });

  it('a refused refresh fails with the exact re-auth command and leaves the token file as it was', async () => {
    api.reset({ refuseRefresh: true });
    const { tokenFile } = tokenRoot({ access_token: 'initial-access-token-abcdef', refresh_token: 'initial-refresh-token-abcdef', expires_at: Math.floor(Date.now() / 1000) - 60 });
    const before = readFileSync(tokenFile, 'utf8');
    await expect(runApi(db(), api, tokenFile)).rejects.toThrow(
      `spotify: the service refused to renew the access token (400 at /api/token): the refresh token was revoked or has expired; sign in again: ${SPOTIFY_RELOGIN}`,
    );
    expect(SPOTIFY_RELOGIN).toBe('pnpm bronze auth spotify');
    expect(readFileSync(tokenFile, 'utf8')).toBe(before);
    expect(api.calls).toEqual([]);
  });
});

describeOneEngine('spotify 429 with Retry-After', (db) => {
  it('a short Retry-After is waited out and the run completes', async () => {
    api.reset({ rateLimitAt: { n: 2, retryAfter: '1' } });
    const { tokenFile } = tokenRoot();
    const waits: [number, string][] = [];
    const r = await runApi(db(), api, tokenFile, { onHttpWait: (ms, reason) => waits.push([ms, reason]) });
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    expect(waits).toEqual([[1000, expect.stringMatching(/GET \/v1\/me\/tracks.*answered 429 \(asked to wait 1 s\)/)]]);
    expect(api.calls.slice(0, 3).map((c) => [c.path, c.status])).toEqual([['/v1/me/player/recently-played', 200], ['/v1/me/tracks', 429], ['/v1/me/tracks', 200]]);
    expect((await rowsPerStream(db())).saved_tracks).toBe(20);
  });

  it('a Retry-After beyond what bronze waits stops the run with a clear line and the cursors saved; the next run goes on', async () => {
    api.reset();
    const d = api.data();
    d.plays.unshift({ ...d.plays[0], played_at: '2017-07-29T10:00:00.000Z' });
    api.setFaults({ rateLimitAt: { n: 2, retryAfter: '3600' } });
    const { tokenFile } = tokenRoot();
    const before = await rowsPerStream(db());
    const err = (await runApi(db(), api, tokenFile).catch((e: Error) => e)) as Error;
    expect(err.message).toMatch(/GET \/v1\/me\/tracks.*answered 429.*asks to wait 3600 s, longer than the 900 s bronze waits; try again later.*; Spotify rate-limits per app/);
    // recently_played committed its new play and its cursor before saved_tracks was refused.
    expect((await rowsPerStream(db())).recently_played).toBe(before.recently_played + 1);
    expect(await cursors(db())).toMatchObject({ recently_played: { cursor: '2017-07-29T10:00:00.000Z' } });
    api.setFaults({});
    api.calls.length = 0;
    const r = await runApi(db(), api, tokenFile);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    expect(r.inserted).toBe(0);
    expect(api.calls[0].query).toEqual({ limit: '50', after: String(Date.parse('2017-07-29T10:00:00.000Z')) });
  });
});
