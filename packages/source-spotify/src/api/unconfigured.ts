import type { Stream } from '@bronze/core';
import type { SpotifyConfig } from '../config.js';

export const NOT_CONFIGURED = 'Spotify Web API streams skipped: SPOTIFY_CLIENT_ID is not set (the exports need nothing; for the API see packages/source-spotify/README.md, "Web API set-up")';

/**
 * Without SPOTIFY_CLIENT_ID the API streams read nothing and say so once in the run summary:
 * importing an export needs nothing in .env, and a scheduled `bronze ingest spotify` before
 * the set-up is a note, not a failure.
 */
export function whenConfigured(config: SpotifyConfig, streams: Stream[]): Stream[] {
  if (config.api) return streams;
  return streams.map((s) => ({
    ...s,
    // eslint-disable-next-line require-yield
    async *read(_args, ctx) {
      ctx.note?.(NOT_CONFIGURED);
    },
  }));
}
