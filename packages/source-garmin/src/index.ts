import { defineSource, type Stream } from '@bronze/core';
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

/** Streams fed by --file: FIT files and the account export. */
export const fileStreams: Stream[] = [fitFiles, fitMessages, exportActivities, exportSleep, exportDailySummaries, ...exportFolderStreams, exportOther];

const garmin = defineSource({
  name: 'garmin',
  version: SOURCE_VERSION,
  description: 'Garmin: FIT files, the Garmin Connect account export, and the Garmin Connect API.',
  config: GarminConfig,
  configure: configureGarmin,
  streams: () => [...fileStreams],
  files: garminFiles,
});

export default garmin;
export { GarminConfig, configureGarmin } from './config.js';
export { decodeFit, DECODER_OPTIONS } from './fit/decode-fit.js';
export { fitRows, FIT_MESSAGES_PER_ROW, type FitFileRow, type FitMessagesRow } from './fit/fit-rows.js';
export { classifyEntry, kindOf } from './export/export-kinds.js';
