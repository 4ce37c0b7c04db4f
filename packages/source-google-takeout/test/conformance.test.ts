import { join } from 'node:path';
import { runConformance } from '@bronze/testkit';
import source, { generateTakeout } from '../src/index.js';
import { fixtureEntries, materialize, tempDir, writeZip } from './helpers.js';

let zip: string | undefined;

/** One part holding the real samples and a generated Takeout, every stream fed. */
async function takeout(): Promise<string> {
  if (zip) return zip;
  const generated = await materialize(generateTakeout({ locations: 400, semantic: 120, activities: 60, subscriptions: 10, fitDays: 2 }));
  zip = await writeZip(join(tempDir(), 'takeout-20240101T000000Z-001.zip'), { ...generated, ...fixtureEntries() });
  return zip;
}

runConformance({
  source,
  options: async () => ({ files: [await takeout()] }),
  crashBatchSize: 100,
});
