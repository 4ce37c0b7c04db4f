import { runHostileSuite } from '@bronze/testkit';
import manual from '../src/index.js';
import { file } from './helpers.js';

// The hostile-input suite (issue 17) on both file formats manual reads as JSON. The poison
// case names its timestamp field: most of its values are not dates, so detection (80% of
// sampled values must read as dates) rightly picks no field there. Other cases' records have
// no timestamp field, which --timestamp-field would make invalid.
const options = (path: string) => (path.includes('poison_timestamps') ? { options: { timestampField: 'timestamp' } } : {});
runHostileSuite({
  name: 'manual jsonl',
  source: manual,
  writeFile: (name, records) => file(`${name}.jsonl`, `${records.join('\n')}\n`),
  readsPastDamage: true,
  options,
});

runHostileSuite({
  name: 'manual json',
  source: manual,
  writeFile: (name, records) => file(`${name}.json`, `[\n${records.join(',\n')}\n]\n`),
  readsPastDamage: false,
  options,
});
