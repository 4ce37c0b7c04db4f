import { runHostileSuite } from '@bronze/testkit';
import manual from '../src/index.js';
import { file } from './helpers.js';

// The hostile-input suite (issue 17) on both file formats manual reads as JSON.
runHostileSuite({
  name: 'manual jsonl',
  source: manual,
  writeFile: (name, records) => file(`${name}.jsonl`, `${records.join('\n')}\n`),
  readsPastDamage: true,
});

runHostileSuite({
  name: 'manual json',
  source: manual,
  writeFile: (name, records) => file(`${name}.json`, `[\n${records.join(',\n')}\n]\n`),
  readsPastDamage: false,
});
