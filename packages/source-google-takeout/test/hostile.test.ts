import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runHostileSuite } from '@bronze/testkit';
import takeout from '../src/index.js';
import { tempDir, TAKEOUT_DIR } from './helpers.js';

const dir = tempDir();
/** A real My Activity entry (test/fixtures/README.md): the hostile records are built on it. */
const [entry] = JSON.parse(readFileSync(join(TAKEOUT_DIR, 'Takeout/My Activity/Discover/MyActivity.json'), 'utf8')) as Record<string, unknown>[];

/**
 * The hostile-input suite (issue 17) on My Activity JSON: the records are a
 * `Takeout/My Activity/Search/MyActivity.json` of an unpacked Takeout folder given with
 * --file, a JSON array read element by element into my_activity_search. An entry has no id
 * of its own: raw_id is `time|titleUrl|title`; the suite's id is `title` (the part a
 * hostile id lands in) and its timestamp `time`. Damage ends the read of the file: the
 * entries before it are stored and the file fails naming its line.
 */
runHostileSuite({
  name: 'google takeout my_activity_search',
  source: takeout,
  stream: 'my_activity_search',
  fields: { id: 'title', timestamp: 'time', idIsPart: true, base: { ...entry, header: 'Search', products: ['Search'] } },
  readsPastDamage: false,
  writeFile(name, records) {
    const folder = join(dir, name, 'Takeout', 'My Activity', 'Search');
    mkdirSync(folder, { recursive: true });
    const path = join(folder, 'MyActivity.json');
    writeFileSync(path, `[\n${records.join(',\n')}\n]\n`);
    return path;
  },
});
