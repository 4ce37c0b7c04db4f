import { runConformance } from '@bronze/testkit';
import { afterAll, beforeAll } from 'vitest';
import spotify from '../src/index.js';
import { apiEnv, tokenRoot } from './helpers/api-run.js';
import { startSpotifyApi, type SpotifyApi } from './helpers/spotify-api.js';

let api: SpotifyApi;
beforeAll(async () => {
  api = await startSpotifyApi().start();
});
afterAll(() => api.close());

// The Web API half: every API stream, against the local Spotify replaying recorded responses.
// Each run starts from the recorded data and a valid token file.
runConformance({
  source: spotify,
  beforeRun: () => api.reset(),
  options: () => ({ env: apiEnv(api ?? { url: 'http://127.0.0.1:9' }, tokenRoot().tokenFile) }),
});
