import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runHostileSuite } from '@bronze/testkit';
import garmin from '../src/index.js';
import { sleepData } from './helpers/export-zip.js';

const dir = mkdtempSync(join(tmpdir(), 'bronze-garmin-hostile-'));
/** A night as the export's sleepData file holds it: the hostile records are built on it. */
const [night] = sleepData() as Record<string, unknown>[];

/**
 * The hostile-input suite (issue 17) through Garmin's file import, on export_sleep: a
 * `*_sleepData.json` file of the export given on its own (`--file`), a JSON array Garmin reads
 * element by element. Its id is `calendarDate` (any non-empty string; anything else refused
 * by calendarDateOf) and its timestamp `sleepStartTimestampGMT`. Damage ends the read of the
 * file: the nights before it are stored, and the damage is an invalid export_other row.
 */
runHostileSuite({
  name: 'garmin export_sleep',
  source: garmin,
  stream: 'export_sleep',
  fields: { id: 'calendarDate', timestamp: 'sleepStartTimestampGMT', base: night },
  readsPastDamage: false,
  writeFile(name, records) {
    const path = join(dir, `${name}_sleepData.json`);
    writeFileSync(path, `[\n${records.join(',\n')}\n]\n`);
    return path;
  },
});
