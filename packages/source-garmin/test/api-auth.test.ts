import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configureSource, createSourceContext, ingest, type Logger } from '@bronze/core';
import { startFixtureServer, type FixtureServer } from '@bronze/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import garmin from '../src/index.js';
import {
  ALL_SECRETS, capturingLogger, consumerFixture, exchangeFixture, garminEnv, NEW_ACCESS, NEW_REFRESH, OAUTH1_TOKEN, OLD_ACCESS, replay, writeTokenFile,
} from './helpers/connect-api.js';

const PROFILE = 'garth_test_sleep_data_get.0'; // garth recorded /userprofile-service/socialProfile under this name

function check(env: Record<string, string>, logger: Logger) {
  const config = configureSource(garmin, env, {});
  const ctx = createSourceContext(garmin, config, { logger, signal: new AbortController().signal, root: process.cwd(), env });
  return garmin.check!(config as never, ctx);
}

describe('Garmin Connect authentication', () => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer();
  });
  afterAll(() => server.close());

  it('check proves the token and names the account', async () => {
    const tokenFile = writeTokenFile();
    server.load({ fixtures: [replay(PROFILE)], expectAuthorization: `Bearer ${OLD_ACCESS}` });
    const { logger } = capturingLogger();
    expect(await check(garminEnv(server.url, tokenFile), logger)).toBe('signed in to Garmin Connect as mtamizi');
    server.verify();
  });

  it('an expired access token is renewed first, and the new tokens are saved with mode 0600', async () => {
    const tokenFile = writeTokenFile({ expired: true });
    server.load({ fixtures: [consumerFixture, exchangeFixture(), replay(PROFILE)] });
    const { logger, lines } = capturingLogger();
    await check(garminEnv(server.url, tokenFile), logger);
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /oauth_consumer.json', 'POST /oauth-service/oauth/exchange/user/2.0', 'GET /userprofile-service/socialProfile',
    ]);
    const saved = JSON.parse(readFileSync(tokenFile, 'utf8'));
    expect(saved.oauth2.access_token).toBe(NEW_ACCESS);
    expect(saved.oauth2.refresh_token).toBe(NEW_REFRESH);
    expect(saved.oauth2.expires_at).toBeGreaterThan(Date.now() / 1000 + 80_000); // recorded expires_in: 81790 s
    expect(saved.oauth1.oauth_token).toBe(OAUTH1_TOKEN);
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    for (const s of ALL_SECRETS) expect(lines.join('\n')).not.toContain(s);
  });

  it("a garth.save() folder is renewed in place: oauth2_token.json rewritten (0600), oauth1_token.json untouched", async () => {
    const file = JSON.parse(readFileSync(writeTokenFile({ expired: true }), 'utf8'));
    const dir = mkdtempSync(join(tmpdir(), 'garth-'));
    writeFileSync(join(dir, 'oauth1_token.json'), JSON.stringify(file.oauth1, null, 4));
    writeFileSync(join(dir, 'oauth2_token.json'), JSON.stringify(file.oauth2, null, 4));
    const oauth1Before = readFileSync(join(dir, 'oauth1_token.json'), 'utf8');
    server.load({ fixtures: [consumerFixture, exchangeFixture(), replay(PROFILE)] });
    expect(await check(garminEnv(server.url, dir), capturingLogger().logger)).toContain('mtamizi');
    expect(JSON.parse(readFileSync(join(dir, 'oauth2_token.json'), 'utf8'))).toMatchObject({ access_token: NEW_ACCESS, refresh_token: NEW_REFRESH });
    expect(statSync(join(dir, 'oauth2_token.json')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'oauth1_token.json'), 'utf8')).toBe(oauth1Before);
  });

  it('a 401 mid-run renews the token once and repeats the request', async () => {
    const tokenFile = writeTokenFile();
    server.load({
      fixtures: [
        { ...replay(PROFILE), name: 'refused', times: 1, response: { status: 401, body: { message: 'token expired' } } },
        consumerFixture, exchangeFixture(), replay(PROFILE),
      ],
    });
    const { logger } = capturingLogger();
    expect(await check(garminEnv(server.url, tokenFile), logger)).toContain('mtamizi');
    expect(server.requests.map((r) => r.status)).toEqual([401, 200, 200, 200]);
    expect(JSON.parse(readFileSync(tokenFile, 'utf8')).oauth2.access_token).toBe(NEW_ACCESS);
  });

  it('a refused renewal says exactly how to get a new token, and shows no token', async () => {
    const tokenFile = writeTokenFile({ expired: true });
    server.load({ fixtures: [consumerFixture, exchangeFixture({ response: { status: 401, body: { error: `invalid token ${OAUTH1_TOKEN}` } } })] });
    const { logger, lines } = capturingLogger();
    const err = await check(garminEnv(server.url, tokenFile), logger).catch((e: Error & { exitCode?: number }) => e);
    expect(err).toBeInstanceOf(Error);
    const message = (err as Error).message;
    expect(message).toMatch(/refused to renew the session \(status 401\)/);
    expect(message).toContain('pip install garth');
    expect(message).toContain("garth.save('~/.garth')");
    expect((err as { exitCode?: number }).exitCode).toBe(2);
    for (const s of ALL_SECRETS) {
      expect(message).not.toContain(s);
      expect(lines.join('\n')).not.toContain(s);
    }
  });

  it('an expired token with no way to renew it names the expired refresh token', async () => {
    const tokenFile = writeTokenFile({ expired: true, noOauth1: true });
    server.load({ fixtures: [] });
    const err = (await check(garminEnv(server.url, tokenFile), capturingLogger().logger).catch((e: Error) => e)) as Error;
    expect(err.message).toMatch(/has expired and cannot be renewed: its refresh token expired on \d{4}-/);
    expect(err.message).toContain('GARMIN_TOKEN_FILE');
    expect(server.requests).toEqual([]);
  });

  it('a missing token file says where it was looked for and how to create it', async () => {
    const err = (await check(garminEnv(server.url, '/nonexistent/garmin.json'), capturingLogger().logger).catch((e: Error) => e)) as Error;
    expect(err.message).toMatch(/no token file at \/nonexistent\/garmin\.json; sign in first/);
    expect(err.message).toContain('pip install garth');
  });

  it('a 429 is waited out (Retry-After) and the request repeated; the run succeeds', async () => {
    const tokenFile = writeTokenFile();
    const hrv = replay('garth_test_hrv_data_get.0');
    server.load({
      fixtures: [{ ...hrv, name: 'throttled', times: 1, response: { status: 429, headers: { 'retry-after': '1' }, body: { message: 'Too Many Requests' } } }, hrv],
      expectAuthorization: `Bearer ${OLD_ACCESS}`,
    });
    const r = await ingest(undefined, garmin, {
      streams: ['hrv'], since: new Date('2023-07-20T00:00:00Z'), until: new Date('2023-07-21T00:00:00Z'),
      env: garminEnv(server.url, tokenFile), logger: capturingLogger().logger, dryRun: true,
    });
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    expect(r.seen).toBe(1);
    expect(server.requests.map((q) => q.status)).toEqual([429, 200]);
  });
});
