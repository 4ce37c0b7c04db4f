import type { Source } from '@bronze/core';
import appleHealth from '@bronze/source-apple-health';
import garmin from '@bronze/source-garmin';
import github from '@bronze/source-github';
import googleTakeout from '@bronze/source-google-takeout';
import manual from '@bronze/source-manual';
import spotify from '@bronze/source-spotify';
import strava from '@bronze/source-strava';
import toggl from '@bronze/source-toggl';

/** Every source the runner knows, by CLI name (a dash stands for the table name's _). */
export const sources: Record<string, Source> = {
  'apple-health': appleHealth,
  garmin,
  github,
  'google-takeout': googleTakeout,
  manual,
  spotify,
  strava,
  toggl,
};
