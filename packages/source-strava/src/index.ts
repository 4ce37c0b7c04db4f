import { defineSource, quarterHourWindow, utcDayWindow, type Stream } from '@bronze/core';
import { stravaAuth, stravaAuthorize } from './api/auth.js';
import { checkStrava } from './api/check.js';
import { apiStreams } from './api-streams.js';
import { configureStrava, DEFAULT_BASE_URL, StravaConfig } from './config.js';
import { stravaFiles } from './files.js';
import { exportCsvStreams } from './streams/export-csv.js';
import { exportOther } from './streams/export-other.js';
import { fitFiles } from './streams/fit-files.js';
import { fitMessages } from './streams/fit-messages.js';
import { gpxFiles, tcxFiles } from './streams/xml-files.js';

/** Streams fed by --file: the account export. */
export const exportStreams: Stream[] = [...exportCsvStreams, fitFiles, fitMessages, gpxFiles, tcxFiles, exportOther];

export default defineSource({
  name: 'strava',
  version: '0.2.0',
  description: 'Strava: API v3 (athlete, activities, details, streams, gear; OAuth2) and the account export (CSVs, FIT/GPX/TCX activity files).',
  config: StravaConfig,
  configure: configureStrava,
  streams: (config) => [...apiStreams(config), ...exportStreams],
  files: stravaFiles,
  baseUrl: DEFAULT_BASE_URL,
  apiUnavailable: (config) => (config.api ? undefined : 'STRAVA_CLIENT_ID and STRAVA_CLIENT_SECRET are not set (the export needs neither; see the README, "API set-up")'),
  auth: stravaAuth,
  authorize: stravaAuthorize,
  check: checkStrava,
  // developers.strava.com/docs/rate-limits: usage per application in X-RateLimit-Usage (all
  // requests) and X-ReadRateLimit-Usage (reads): "15-minute,daily", windows reset at :00, :15,
  // :30, :45 and at UTC midnight. At 95% bronze pauses (reset < 10 min away) or stops cleanly.
  usageQuota: {
    headers: [
      { limit: 'x-ratelimit-limit', usage: 'x-ratelimit-usage' },
      { limit: 'x-readratelimit-limit', usage: 'x-readratelimit-usage' },
    ],
    windows: [quarterHourWindow, utcDayWindow],
  },
});

export { StravaConfig, configureStrava } from './config.js';
export { RELOGIN, SCOPES, tokenUrl } from './api/auth.js';
export { STREAM_KEYS } from './streams/activity-streams.js';
export { KNOWN_CSVS, classifyEntry } from './export-layout.js';
export { parseActivityDate } from './activity-date.js';
export { parseXmlDocument, type XmlObject } from './xml-document.js';
