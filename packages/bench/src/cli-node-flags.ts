import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT_PACKAGE = fileURLToPath(new URL('../../../package.json', import.meta.url));

/**
 * The Node flags `pnpm bronze` starts the CLI with (the repository's `bronze` script, e.g. the
 * young generation's size), so that the bench's processes measure what a user runs.
 */
export function cliNodeFlags(): string[] {
  const script = (JSON.parse(readFileSync(ROOT_PACKAGE, 'utf8')) as { scripts: Record<string, string> }).scripts.bronze;
  const words = script.trim().split(/\s+/);
  if (words[0] !== 'node') throw new Error(`package.json: the bronze script does not start with node: ${script}`);
  return words.slice(1).filter((w) => w.startsWith('--'));
}
