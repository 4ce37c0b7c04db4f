import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError } from '@bronze/core';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * node:util's parseArgs in strict mode, its errors as one usage line. Node's own text for an
 * unknown flag is about positionals that start with '-' (and leaves a quote open): a user who
 * typed `--fil` needs the flag they meant, or the command's flags.
 */
export function parseCommandArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (err) {
    throw new ConfigError(flagErrorText(err, config.options ?? {}));
  }
}

export function flagErrorText(err: unknown, options: Options): string {
  const e = err as { code?: string; message?: string };
  const message = String(e.message ?? err);
  const unknown = e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /Unknown option '([^']+)'/.exec(message)?.[1] : undefined;
  if (!unknown) return message.split('\n')[0];
  const known = Object.keys(options).map((n) => `--${n}`);
  const close = closestFlag(unknown, known);
  if (close) return `unknown option ${unknown} (did you mean ${close}?); --help lists the options`;
  return `unknown option ${unknown}; the options are ${known.join(', ')} (--help says what each does)`;
}

/** The known flag a mistyped one most likely meant: the only one it starts (or is started by), or one at most two edits away. */
function closestFlag(typed: string, known: string[]): string | undefined {
  const name = typed.replace(/^-+/, '').split('=')[0].toLowerCase();
  // One or two letters (`-x`) are too short to guess from.
  if (name.length < 3) return undefined;
  const word = `--${name}`;
  const prefixed = known.filter((k) => k.startsWith(word) || word.startsWith(k));
  if (prefixed.length === 1) return prefixed[0];
  let best: { flag: string; d: number } | undefined;
  for (const k of known) {
    const d = editDistance(word, k);
    if (d <= 2 && (!best || d < best.d)) best = { flag: k, d };
  }
  return best?.flag;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length];
}
