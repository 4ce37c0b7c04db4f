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
// Then exit, rather than when the event loop drains: Node's own exit closes its signal
// watchers before the process ends, and a Ctrl-C in that gap meets the OS default again (a
// succeeded run's process ended by SIGINT). What the command wrote is flushed first.
const flushed = (s: NodeJS.WriteStream) => new Promise<void>((done) => s.write('', () => done()));
await Promise.race([Promise.all([flushed(process.stdout), flushed(process.stderr)]), new Promise((r) => setTimeout(r, 2000).unref())]);
process.exit(process.exitCode);
