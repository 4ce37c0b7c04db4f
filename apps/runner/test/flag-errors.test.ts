import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../src/commands/io.js';
import { commandUsage, main } from '../src/main.js';
import { parseCommandArgs } from '../src/commands/flag-errors.js';
import { parseIngestArgs } from '../src/commands/ingest-args.js';
import { sources } from '../src/sources.js';

const options = { file: { type: 'string' }, since: { type: 'string' }, 'dry-run': { type: 'boolean' }, force: { type: 'boolean' } } as const;
const parse = (...args: string[]) => parseCommandArgs({ args, options, allowPositionals: true, strict: true });

describe('flag errors', () => {
  it('names the flag a mistyped one most likely meant', () => {
    expect(() => parse('--fil', 'x.csv')).toThrow(/^unknown option --fil \(did you mean --file\?\); --help lists the options$/);
    expect(() => parse('--fiel', 'x.csv')).toThrow(/did you mean --file\?/);
    expect(() => parse('--dryrun')).toThrow(/did you mean --dry-run\?/);
    expect(() => parse('--Force')).toThrow(/did you mean --force\?/);
    expect(() => parse('--since=2024-01-01', '--forse')).toThrow(/did you mean --force\?/);
  });

  it('lists the options when no flag is close, and guesses nothing from one letter', () => {
    expect(() => parse('--verbosity')).toThrow(/^unknown option --verbosity; the options are --file, --since, --dry-run, --force \(--help says what each does\)$/);
    expect(() => parse('-x')).toThrow(/^unknown option -x; the options are/);
  });

  it("keeps Node's message for other usage errors, on one line and without its unbalanced quote", () => {
    expect(() => parse('--file')).toThrow(/^Option '--file <value>' argument missing$/);
    for (const args of [['--fil'], ['--bogus'], ['-x']]) {
      try {
        parse(...args);
        expect.unreachable();
      } catch (err) {
        const m = (err as Error).message;
        expect(m).not.toMatch(/\n|positional/);
        expect((m.match(/'/g) ?? []).length % 2).toBe(0);
      }
    }
  });

  it('ingest flags, including those a source declares, are what it suggests', () => {
    expect(() => parseIngestArgs(['manual', '--fil', 'a.csv'], [sources.manual])).toThrow(/did you mean --file\?/);
    expect(() => parseIngestArgs(['manual', '--date-fromat', 'DD/MM/YYYY', '--file', 'a.csv'], [sources.manual])).toThrow(/did you mean --date-format\?/);
  });
});

describe('--help on every command', () => {
  const capture = (): CliIo & { lines: string[] } => {
    const lines: string[] = [];
    return { lines, out: (l) => lines.push(l), err: (l) => lines.push(l), tty: false };
  };
  // No database is opened for help: an unreachable one proves it.
  const from = { env: { PATH: process.env.PATH, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' }, cwd: tmpdir() };

  it('prints the command\'s usage and exits 0, for commands with and without their own help', async () => {
    for (const [args, line] of [
      [['status', '--help'], /^ {2}status \[--json\]/m],
      [['runs', '-h'], /^ {2}runs \[--source S\] \[--limit N\]/m],
      [['db', 'export', '--help'], /^ {2}db export PATH/m],
      [['serve', '--help'], /^ {35}\(--config PATH/m],
      [['auth', 'strava', '--help'], /^ {2}auth <source> \[--port P\]/m],
      [['config', 'validate', '--help'], /^ {2}config validate/m],
      [['ingest', '--help'], /^usage: bronze ingest/m],
      [['sql', '--help'], /^usage: bronze sql/m],
    ] as const) {
      const io = capture();
      expect(await main([...args], io, from), args.join(' ')).toBe(0);
      const text = io.lines.join('\n');
      expect(text, args.join(' ')).toMatch(line);
      expect(text).not.toMatch(/error|unknown option/);
    }
  });

  it('names only the command asked about', () => {
    const status = commandUsage('status');
    expect(status).toMatch(/^usage:\n {2}status /);
    expect(status).not.toMatch(/^ {2}(runs|ingest|db) /m);
    expect(commandUsage('db').match(/^ {2}db /gm)).toHaveLength(4);
    expect(commandUsage('ingest')).toMatch(/^ {35}--file PATH…/m);
  });
});
