import { defineSource } from '@bronze/core';
import { configureGoogleTakeout, GoogleTakeoutConfig } from './config.js';
import { unpackedPath } from './export-root.js';
import { readTakeout } from './read-takeout.js';
import { activityStreams } from './streams/activity.js';
import { fitDailyActivityMetrics, fitSessions } from './streams/fit.js';
import { locations } from './streams/locations.js';
import { mail } from './streams/mail.js';
import { other } from './streams/other.js';
import { semanticLocationHistory } from './streams/semantic-location-history.js';
import { timelineProfile, timelineRawSignals, timelineSegments } from './streams/timeline.js';
import { youtubeSubscriptions } from './streams/youtube-subscriptions.js';

export const GOOGLE_TAKEOUT_VERSION = '0.1.0';

/** Google Takeout (takeout.google.com): the export's zip parts, or the folder unpacked from them. */
const googleTakeout = defineSource({
  name: 'google_takeout',
  version: GOOGLE_TAKEOUT_VERSION,
  description: 'Google Takeout (takeout-*.zip parts or the unpacked Takeout folder): location history, timeline, My Activity per product, YouTube history and subscriptions, Fit, Gmail messages, and every other file',
  config: GoogleTakeoutConfig,
  configure: configureGoogleTakeout,
  // Lets core read a Takeout part in a worker thread (BRONZE_READ_WORKER in the README).
  module: import.meta.url,
  cliOptions: {
    'time-zone': {
      type: 'string',
      multiple: true,
      description: "what a zone abbreviation of the HTML pages' times means, as ABBREVIATION=±HH:MM (IST=+05:30 for India's); bronze does not guess IST or AST, which name several zones",
    },
  },
  streams: (config) => [
    locations,
    semanticLocationHistory,
    timelineSegments,
    timelineRawSignals,
    timelineProfile,
    ...activityStreams(config?.timeZones),
    youtubeSubscriptions,
    fitDailyActivityMetrics,
    fitSessions,
    mail,
    other,
  ],
  files: {
    accepts: 'takeout-*.zip (each part of an export), or the files of an unpacked Takeout folder',
    // A folder: its takeout*.zip parts, and every file below an export root (unpacked, export-root.ts).
    match: (path) => /(^|[\\/])takeout[^\\/]*\.zip$/i.test(path) || unpackedPath(path) !== undefined,
    read: (file, _config, ctx) => readTakeout(file, ctx),
  },
});

export default googleTakeout;
export { googleTakeout };
export { partOf, takeoutPath, activityStream as activityStreamOf, ACTIVITY_PRODUCTS } from './layout.js';
export { parseActivityCell, type HtmlActivity } from './parts/activity-html.js';
export { partName, missingParts } from './multi-part.js';
export { isoInstant, epochMs, htmlInstant, htmlTime, UnknownZone, type TimeZones } from './time.js';
export { zoneSetting } from './config.js';
export { generateTakeout, type TakeoutScale, type GeneratedEntry } from './generator/generate-takeout.js';
