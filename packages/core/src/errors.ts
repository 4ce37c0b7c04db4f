/** Exit codes of the bronze CLI (docs/design.md §5). */
export const ExitCode = { ok: 0, failure: 1, usage: 2, locked: 75 } as const;

/** An error whose message is meant for the user as is: no stack trace unless --verbose. */
export class BronzeError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = ExitCode.failure, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** Bad command-line usage or configuration (exit 2). */
export class ConfigError extends BronzeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.usage, options);
  }
}

/** Another run of the same source holds its lock (exit 75, EX_TEMPFAIL). */
export class SourceLockedError extends BronzeError {
  constructor(message: string) {
    super(message, ExitCode.locked);
  }
}

/** A file that cannot be imported: missing, a directory, empty, binary, truncated. */
export class FileImportError extends BronzeError {
  constructor(readonly path: string, message: string, options?: { cause?: unknown }) {
    super(`${path}: ${message}`, ExitCode.failure, options);
  }
}

/**
 * A stop asked for (Ctrl-C, SIGTERM) during work that yields no record, such as hashing a file
 * or checking a zip entry before its first byte is handed out: the run stops there instead of
 * after that pass, and the file is marked 'interrupted' (read again by the next run).
 */
export class InterruptedError extends BronzeError {
  constructor(readonly path: string, message: string) {
    super(`${path}: ${message}`);
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
