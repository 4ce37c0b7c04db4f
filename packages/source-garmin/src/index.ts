import { existsSync } from 'node:fs';
import { defineSource, oauth2Auth, tokenFilePath, type Stream } from '@bronze/core';
import { GarminConfig, configureGarmin } from './config.js';
import { garminFiles } from './files.js';
import { fitFiles } from './streams/fit-files.js';
import { fitMessages } from './streams/fit-messages.js';
import { exportActivities } from './streams/export-activities.js';
import { exportSleep } from './streams/export-sleep.js';
import { exportDailySummaries } from './streams/export-daily-summaries.js';
import { exportFolderStreams } from './streams/export-folders.js';
import { exportOther } from './streams/export-other.js';
import { SOURCE_VERSION } from './version.js';
import { DEFAULT_BASE_URL, type GarminConfig as Config } from './config.js';
import { displayName } from './display-name.js';
import { exchangeOAuth1 } from './auth/exchange.js';
import { GARTH_LOGIN, garthCodec } from './auth/garth-codec.js';
import { activities } from './streams/activities.js';
import { activityDetails } from './streams/activity-details.js';
import { dailySummaries } from './streams/daily-summaries.js';
import { sleep } from './streams/sleep.js';
import { hrv } from './streams/hrv.js';
import { heartRate } from './streams/heart-rate.js';
import { stress } from './streams/stress.js';
import { steps } from './streams/steps.js';
import { bodyBattery } from './streams/body-battery.js';
import { weight } from './streams/weight.js';
import { trainingReadiness } from './streams/training-readiness.js';

/** Streams fed by --file: FIT files and the account export. */
export const fileStreams: Stream[] = [fitFiles, fitMessages, exportActivities, exportSleep, exportDailySummaries, ...exportFolderStreams, exportOther];

/** Streams read from the Garmin Connect API (`bronze ingest garmin` without --file). */
export const apiStreams = (config: Config): Stream[] => [
  activities(config), activityDetails(config), dailySummaries(config), sleep(config), hrv(config), heartRate(config),
  stress(config), steps(config), bodyBattery(config), weight(config), trainingReadiness(config),
];

const garmin = defineSource({
  name: 'garmin',
  version: SOURCE_VERSION,
  description: 'Garmin: FIT files, the Garmin Connect account export, and the Garmin Connect API.',
  config: GarminConfig,
  configure: configureGarmin,
  streams: (config) => [...fileStreams, ...apiStreams(config)],
  files: garminFiles,
  baseUrl: DEFAULT_BASE_URL,
  // About one request a second once a burst of 60 is spent: a year's first backfill takes
  // ~45 minutes, a daily run (3 overlap days) ~30 requests. 429s are retried by ctx.http after Retry-After / backoff.
  rateLimit: { requests: 60, perMilliseconds: 60_000 },
  // garth's token file; an expired or refused access token is renewed by exchanging the OAuth1 token.
  apiUnavailable: (config, a) => {
    const path = tokenFilePath(config.tokenFile, a.root);
    return existsSync(path) ? undefined : `Garmin token file ${path} does not exist; sign in first: ${GARTH_LOGIN}`;
  },
  auth: (config, a) => oauth2Auth({ tokenFile: config.tokenFile, relogin: GARTH_LOGIN, codec: garthCodec, renew: exchangeOAuth1(config) }, a),
  async check(_config, ctx) {
    return `signed in to Garmin Connect as ${await displayName(ctx)}`;
  },
});

export default garmin;
export { GarminConfig, configureGarmin } from './config.js';
// The FIT decoder lives in @bronze/fit (shared with the Strava source); re-exported for existing users.
export { decodeFit, loadFitSdk, DECODER_OPTIONS, fitRows, readFitRows, FIT_MESSAGES_PER_ROW, type FitFileRow, type FitMessagesRow } from '@bronze/fit';
export { classifyEntry, kindOf } from './export/export-kinds.js';
