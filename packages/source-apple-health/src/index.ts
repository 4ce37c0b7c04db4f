import { defineSource } from '@bronze/core';
import { AppleHealthConfig, configureAppleHealth } from './config.js';
import { readAppleHealthExport } from './read-export.js';
import { activitySummaries } from './streams/activity-summaries.js';
import { clinicalDocument } from './streams/clinical-document.js';
import { clinicalRecords } from './streams/clinical-records.js';
import { electrocardiograms } from './streams/electrocardiograms.js';
import { correlations } from './streams/correlations.js';
import { exportInfo } from './streams/export-info.js';
import { me } from './streams/me.js';
import { otherElements } from './streams/other-elements.js';
import { otherFiles } from './streams/other-files.js';
import { records } from './streams/records.js';
import { workoutRoutes } from './streams/workout-routes.js';
import { workouts } from './streams/workouts.js';

export const APPLE_HEALTH_VERSION = '0.2.0';

const EXPORT_XML_NAME = /(^|[\\/])(export|导出|輸出)\.xml$/i;
const EXPORT_ZIP_NAME = /(^|[\\/])(export[^\\/]*|書き出したデータ[^\\/]*)\.zip$/i;

/** Apple Health: the Health app's "Export All Health Data" (export.zip or its export.xml). */
const appleHealth = defineSource({
  name: 'apple_health',
  version: APPLE_HEALTH_VERSION,
  description: 'Apple Health export (export.zip or export.xml): records, workouts, routes, activity rings, correlations, ECGs, clinical records and document, every other file',
  config: AppleHealthConfig,
  configure: configureAppleHealth,
  // Lets core read the export in a worker thread (BRONZE_READ_WORKER in the README).
  module: import.meta.url,
  streams: () => [
    records,
    workouts,
    workoutRoutes,
    activitySummaries,
    correlations,
    me,
    exportInfo,
    otherElements,
    electrocardiograms,
    clinicalRecords,
    clinicalDocument,
    otherFiles,
  ],
  files: {
    accepts: 'export.zip from the Health app, or the export.xml inside it',
    // A folder: the unpacked apple_health_export/ (its export.xml; the GPX files are read
    // through it) or a folder of export*.zip archives, under the names localised phones give
    // them too (导出.xml, 輸出.xml; 書き出したデータ.zip on a Japanese iPhone).
    match: (path) => EXPORT_XML_NAME.test(path) || EXPORT_ZIP_NAME.test(path),
    read: (file, _config, ctx) => readAppleHealthExport(file, ctx),
  },
});

export default appleHealth;
export { appleHealth };
export { parseAppleDate, parseCalendarDay } from './apple-date.js';
export { elementId, contentId, canonicalElement } from './identity.js';
export { readXmlElements, MAX_DEPTH, MAX_ELEMENT_CHARS, type XmlElement, type XmlObject } from './xml/elements.js';
export { parseEcgCsv, csvFields, type Electrocardiogram } from './parts/ecg-csv.js';
export { partOf, MAX_ENTRY_BYTES } from './export-layout.js';
export { parseHl7Time } from './apple-date.js';
export { RECORD_ID_ATTRIBUTES } from './streams/records.js';
export { WORKOUT_ID_ATTRIBUTES } from './streams/workouts.js';
export { CORRELATION_ID_ATTRIBUTES } from './streams/correlations.js';
export { generateExport, exportCounts, appleDate, type GenerateOptions, type ExportCounts } from './generator/generate-export.js';
