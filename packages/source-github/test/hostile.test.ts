import { hostileBody, runHostileSuite, startFixtureServer, type FixtureServer } from '@bronze/testkit';
import { afterAll, beforeAll } from 'vitest';
import github from '../src/index.js';
import { commonHeaders, env, fixture, githubScenario } from './github-scenario.js';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

// GitHub's declared budget (15 requests/s) only slows the runs down here.
const fast = { ...github, rateLimit: undefined };
const REPOS = '/user/repos';
/** A real repository (octokit/fixtures): the hostile records are built on it, so the schema judges only what they change. */
const [repo] = fixture('repos.json') as Record<string, unknown>[];

/**
 * The hostile-input suite (issue 17) on repos: GET /user/repos answers the hostile records as
 * its one page (no Link header), every other listing answers the usual scenario. repos fits the
 * suite: an integer id (`id`, a 64-bit Int64), the timestamp `created_at`, a snapshot read
 * whole on every run. Its 304 fixture is left out: a re-run gets the body again.
 */
runHostileSuite({
  name: 'github repos',
  source: fast,
  stream: 'repos',
  endpoint: REPOS,
  fields: { id: 'id', timestamp: 'created_at', base: repo, integerIds: true },
  async serve(name, records) {
    const usual = githubScenario(server.url);
    server.load({
      ...usual,
      fixtures: [
        ...usual.fixtures.filter((f) => f.request.path !== REPOS),
        { name: `${name}: repos`, request: { path: REPOS, anyQuery: true }, response: { text: hostileBody(records), headers: { ...commonHeaders(), 'content-type': 'application/json; charset=utf-8' } }, times: 'always' },
      ],
    });
    return { env: env(server.url) };
  },
});
