import { ConfigError, configureSource, createSourceContext, silentLogger } from '@bronze/core';
import { startFixtureServer, type FixtureServer } from '@bronze/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import toggl from '../src/index.js';
import { configureToggl, defaultStartDate } from '../src/config.js';
import { env, togglScenario } from './toggl-scenario.js';

describe('configuration', () => {
  it('needs TOGGL_API_TOKEN and says where to find it', () => {
    expect(() => configureToggl({}, {})).toThrow(ConfigError);
    expect(() => configureToggl({}, {})).toThrow(/missing TOGGL_API_TOKEN.*track\.toggl\.com\/profile/);
  });

  it('defaults: two years back, 30-day windows', () => {
    const now = new Date('2026-05-17T15:00:00Z');
    expect(configureToggl({ TOGGL_API_TOKEN: 'abcd1234' }, {}, now)).toEqual({ apiToken: 'abcd1234', startDate: '2024-05-17T00:00:00.000Z', windowDays: 30 });
    expect(defaultStartDate(now).toISOString()).toBe('2024-05-17T00:00:00.000Z');
  });

  it('names the variable when a value is wrong', () => {
    expect(() => configureToggl({ TOGGL_API_TOKEN: 'abcd1234', TOGGL_START_DATE: 'last spring' }, {})).toThrow('TOGGL_START_DATE: "last spring" is not a date');
    expect(() => configureToggl({ TOGGL_API_TOKEN: 'abcd1234', TOGGL_WINDOW_DAYS: '365' }, {})).toThrow(/^TOGGL_WINDOW_DAYS: "365" must be a whole number of days from 1 to 92/);
  });
});

describe('check', () => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer();
  });
  afterAll(() => server.close());

  const context = () => {
    const e = env(server.url);
    const config = configureSource(toggl, e, {});
    return { config, ctx: createSourceContext(toggl, config, { logger: silentLogger(), signal: new AbortController().signal, root: '.', env: e }) };
  };

  it('proves the token with one call to /me and says whose it is', async () => {
    server.load({ ...togglScenario({ once: true }), fixtures: togglScenario({ once: true }).fixtures.filter((f) => f.name === 'me') });
    const { config, ctx } = context();
    expect(await toggl.check!(config as never, ctx)).toBe('Toggl token OK: it belongs to Ada Example <ada@example.com>, user 6382910, default workspace 7234567');
    server.verify();
    expect(server.requests).toHaveLength(1);
  });

  it('a refused token is explained, not retried', async () => {
    server.load({ fixtures: [], expectAuthorization: 'Basic other' });
    const { config, ctx } = context();
    await expect(toggl.check!(config as never, ctx)).rejects.toThrow(/^toggl GET \/api\/v9\/me answered 401 .*Toggl rejected the API token: check TOGGL_API_TOKEN/);
    expect(server.requests).toHaveLength(1);
  });
});
