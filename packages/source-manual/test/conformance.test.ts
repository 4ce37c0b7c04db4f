import { fileURLToPath } from 'node:url';
import { runConformance } from '@bronze/testkit';
import manual from '../src/index.js';

runConformance({
  source: manual,
  options: () => ({ files: [fileURLToPath(new URL('./fixtures/weights.csv', import.meta.url))] }),
  crashBatchSize: 2,
});
