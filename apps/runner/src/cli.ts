import { applyHeapGrowthSetting } from '@bronze/core';
import { main } from './main.js';

// Before any work: an ingest's old generation is mostly rows already loaded (core's
// limitHeapGrowth; BRONZE_HEAP_GROWTH in the README's configuration section).
const warning = applyHeapGrowthSetting();
if (warning) process.stderr.write(`warning: ${warning}\n`);
process.exitCode = await main(process.argv.slice(2));
