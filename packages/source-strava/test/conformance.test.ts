import { join } from 'node:path';
import { runConformance } from '@bronze/testkit';
import strava from '../src/index.js';
import { exportEntries, tempDir, writeZip } from './helpers/export-zip.js';

let zip: Promise<string> | undefined;

// The account export (CSVs, a .fit.gz, a .gpx.gz, a .tcx.gz, media) through the shared suite, with an empty environment.
runConformance({
  source: strava,
  options: async () => ({ files: [await (zip ??= writeZip(join(tempDir(), 'export_123.zip'), exportEntries()))], env: {} }),
});
