import { runSourceCli } from '@bronze/core';
import source from './index.js';

process.exitCode = await runSourceCli(source, process.argv.slice(2));
