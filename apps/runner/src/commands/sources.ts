import { cliName, ExitCode } from '@bronze/core';
import type { CliIo } from './io.js';
import { sources } from '../sources.js';

export async function sourcesCommand(_argv: string[], io: CliIo): Promise<number> {
  for (const s of Object.values(sources)) {
    let streams: string;
    try {
      streams = s.streams(s.configure({}, {}) as never).map((x) => x.name).join(', ') || 'one per imported file';
    } catch {
      streams = '(configure the source to list them)';
    }
    io.out(`${cliName(s)}  ${s.description}`);
    io.out(`    streams: ${streams}`);
    if (s.files) io.out(`    files:   ${s.files.accepts}`);
    if (s.baseUrl) io.out(`    api:     ${s.baseUrl} (override with ${s.name.toUpperCase()}_BASE_URL)`);
  }
  return ExitCode.ok;
}
