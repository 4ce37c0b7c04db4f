import { runSourceCli } from '@bronze/core';
import source from './index.js';

// `pnpm --filter source-strava ingest [--file export.zip …]`: the same flags as `bronze ingest strava`.
process.exitCode = await runSourceCli(source, process.argv.slice(2));
