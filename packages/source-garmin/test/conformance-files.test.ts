import { join } from 'node:path';
import { runConformance } from '@bronze/testkit';
import garmin from '../src/index.js';
import { buildExportZip, FIT_DIR } from './helpers/export-zip.js';

let zip: Promise<string> | undefined;

// FIT files (a truncated one among them) and an account export, through the shared suite.
runConformance({
  source: garmin,
  options: async () => ({
    files: [join(FIT_DIR, 'fitparse_garmin-fenix-5-run.fit'), join(FIT_DIR, 'fitparse_activity-unexpected-eof.fit'), join(FIT_DIR, 'fitparser_suunto-weight.fit'), await (zip ??= buildExportZip())],
    env: {},
  }),
});
