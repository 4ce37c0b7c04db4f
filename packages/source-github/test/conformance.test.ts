import { runConformance, startFixtureServer, type FixtureServer } from '@bronze/testkit';
import { afterAll, beforeAll } from 'vitest';
import github from '../src/index.js';
import { env, githubScenario } from './github-scenario.js';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

// GitHub's declared budget (15 requests/s) only slows the fixture server's answers down.
const fast = { ...github, rateLimit: undefined };

runConformance({
  source: fast,
  beforeRun: () => server.load(githubScenario(server.url, { notifications: true })),
  options: () => ({ env: env(server?.url ?? 'http://127.0.0.1:9', { GITHUB_NOTIFICATIONS: 'on' }) }),
});
