import { applyHeapGrowthSetting } from '@bronze/core';
import { main } from './main.js';

// Before any work: an ingest's old generation is mostly rows already loaded (core's
// limitHeapGrowth; BRONZE_HEAP_GROWTH in the README's configuration section).
const warning = applyHeapGrowthSetting();
if (warning) process.stderr.write(`warning: ${warning}\n`);
process.exitCode = await main(process.argv.slice(2));
// The command is done: its run committed, its database closed. A Ctrl-C during what is left
// (worker threads and sockets ending) must not turn its exit code into a death by signal.
const exitWithCode = () => process.exit(process.exitCode ?? 0);
process.on('SIGINT', exitWithCode);
process.on('SIGTERM', exitWithCode);
