import { runSourceCli } from '@bronze/core';
import source from './index.js';

// `pnpm --filter source-garmin ingest [--file PATH…] [--since …]`: the same flags as `bronze ingest garmin`.
process.exitCode = await runSourceCli(source, process.argv.slice(2));
