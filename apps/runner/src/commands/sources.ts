import { cliName, ExitCode, type Source } from '@bronze/core';
import type { CliIo } from './io.js';
import { sources } from '../sources.js';

export async function sourcesCommand(_argv: string[], io: CliIo): Promise<number> {
  for (const s of Object.values(sources)) {
    const streams = streamList(s) ?? '(configure the source to list them)';
    io.out(`${cliName(s)}  ${s.description}`);
    io.out(`    streams: ${streams}`);
    if (s.files) io.out(`    files:   ${s.files.accepts}`);
    if (s.baseUrl) io.out(`    api:     ${s.baseUrl} (override with ${s.name.toUpperCase()}_BASE_URL)`);
  }
  return ExitCode.ok;
}

/** Stream names with their incremental kind; the empty configuration of an unconfigured API source names them too. */
function streamList(s: Source): string | undefined {
  for (const config of [() => s.configure({}, {}), () => ({})]) {
    try {
      return s.streams(config() as never).map((x) => (x.incremental ? `${x.name} (${x.incremental})` : x.name)).join(', ') || 'one per imported file';
    } catch {
      // No credentials: try the next.
    }
  }
  return undefined;
}
