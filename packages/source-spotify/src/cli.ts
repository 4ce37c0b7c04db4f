import { runSourceCli } from '@bronze/core';
import source from './index.js';

// `pnpm --filter source-spotify ingest [--file my_spotify_data.zip …]`: the same flags as `bronze ingest spotify`.
process.exitCode = await runSourceCli(source, process.argv.slice(2));
