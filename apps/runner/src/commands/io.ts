import { BronzeError, ExitCode, redact, type Settings } from '@bronze/core';

/** Where a command writes: stdout for results, stderr for messages. */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** stderr is a terminal: show a live progress line. */
  tty: boolean;
  /** Where `bronze sql` reads statements when no query is given (a prompt when it is a terminal). */
  input?: NodeJS.ReadableStream & { isTTY?: boolean };
}

export const processIo: CliIo = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
  tty: Boolean(process.stderr.isTTY),
  input: process.stdin,
};

/** A command: its arguments, where to write, and the process's settings (built once in main). */
export type Command = (argv: string[], io: CliIo, settings: Settings) => Promise<number>;

/**
 * The one place an error reaches the user: one `error:` line on stderr (the stack only with
 * --verbose). Core does not also log it. Returns the exit code.
 */
export function reportError(err: unknown, io: CliIo, verbose: boolean): number {
  const code = err instanceof BronzeError ? err.exitCode : ExitCode.failure;
  const msg = redact(err instanceof Error ? err.message : String(err));
  io.err(`error: ${msg}`);
  if (verbose && err instanceof Error && err.stack) io.err(redact(err.stack));
  return code;
}
