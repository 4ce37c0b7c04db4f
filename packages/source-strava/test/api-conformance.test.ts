import { afterAll, beforeAll } from 'vitest';
import { runConformance } from '@bronze/testkit';
import strava from '../src/index.js';
import { activitiesFrom, startStravaSim, type StravaSim } from './helpers/strava-api.js';
import { apiEnv, signedIn } from './helpers/api-run.js';

// The API streams through the shared suite (both engines), against the simulated Strava API.
let sim: StravaSim;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  sim = await startStravaSim(activitiesFrom('2023-06-01T06:30:00Z', 8));
  const s = signedIn(sim);
  env = apiEnv(sim, s.tokenFile, s.root);
});
afterAll(() => sim.close());

runConformance({
  source: strava,
  options: () => ({ env }),
  beforeRun: () => {
    sim.usage.fifteen = 0;
  },
  crashBatchSize: 2,
});
