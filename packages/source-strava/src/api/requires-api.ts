import type { Stream } from '@bronze/core';
import type { StravaConfig } from '../config.js';

/**
 * An API stream that, when STRAVA_CLIENT_ID/STRAVA_CLIENT_SECRET are not set, reads nothing
 * and says so in the run summary: the export needs no credentials, and neither does a
 * scheduled run that has not been set up yet.
 */
export function requiresApi(config: StravaConfig, stream: Stream): Stream {
  if (config.api) return stream;
  return {
    ...stream,
    // eslint-disable-next-line require-yield
    async *read(_args, ctx) {
      ctx.note?.('strava API streams skipped: STRAVA_CLIENT_ID and STRAVA_CLIENT_SECRET are not set (see the source-strava README, "API set-up")');
    },
  };
}
