import { defineSource, type Stream } from '@bronze/core';
import { configureStrava, DEFAULT_BASE_URL, StravaConfig } from './config.js';
import { stravaFiles } from './files.js';
import { exportCsvStreams } from './streams/export-csv.js';
import { exportOther } from './streams/export-other.js';
import { fitFiles } from './streams/fit-files.js';
import { fitMessages } from './streams/fit-messages.js';
import { gpxFiles, tcxFiles } from './streams/xml-files.js';

/** Streams fed by --file: the account export. The API streams (athlete, activities…) come later, beside these. */
export const exportStreams: Stream[] = [...exportCsvStreams, fitFiles, fitMessages, gpxFiles, tcxFiles, exportOther];

export default defineSource({
  name: 'strava',
  version: '0.1.0',
  description: 'Strava: the account export (activities.csv and every other CSV, FIT/GPX/TCX activity files, media listed).',
  config: StravaConfig,
  configure: configureStrava,
  streams: () => exportStreams,
  files: stravaFiles,
  // The API streams will be built on this base URL (STRAVA_BASE_URL overrides it).
  baseUrl: DEFAULT_BASE_URL,
});

export { StravaConfig, configureStrava } from './config.js';
export { KNOWN_CSVS, classifyEntry } from './export-layout.js';
export { parseActivityDate } from './activity-date.js';
export { parseXmlDocument, type XmlObject } from './xml-document.js';
