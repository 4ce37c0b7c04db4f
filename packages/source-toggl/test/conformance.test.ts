import { runConformance, startFixtureServer, type FixtureServer } from '@bronze/testkit';
import { afterAll, beforeAll } from 'vitest';
import toggl from '../src/index.js';
import { env, togglScenario } from './toggl-scenario.js';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

// Toggl's declared budget (1 request/s) would make each run take half a minute here.
const fast = { ...toggl, rateLimit: undefined };

runConformance({
  source: fast,
  beforeRun: () => server.load(togglScenario()),
  options: () => ({ env: env(server?.url ?? 'http://127.0.0.1:9') }),
});
