import { expect, it } from 'vitest';
import { describeOneEngine } from '@bronze/testkit';
import { runApi } from './helpers/api-run.js';

describeOneEngine('strava API: not configured', (db) => {
  it('with nothing in the environment the API streams read nothing and say so; the run succeeds', async () => {
    const { result, error } = await runApi(db(), { BRONZE_HOME: '/nonexistent-bronze-home' });
    expect(error).toBeUndefined();
    expect(result).toMatchObject({ status: 'succeeded', seen: 0 });
    expect(result!.notes).toEqual(['strava API streams skipped: STRAVA_CLIENT_ID and STRAVA_CLIENT_SECRET are not set (see the source-strava README, "API set-up")']);
  });
});
