import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSettings } from '@bronze/core';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../src/config/load-config.js';
import type { CliIo } from '../src/commands/io.js';
import { main } from '../src/main.js';
import { sources } from '../src/sources.js';

const all = Object.values(sources);
const parse = (yaml: string) => parseConfig(yaml, 'bronze.config.yaml', all);
const refusal = (yaml: string) => {
  try {
    parse(yaml);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('the configuration was accepted');
};

describe('bronze.config.yaml', () => {
  it('reads schedules, files and source options', () => {
    const config = parse(`
timezone: Europe/Berlin
sources:
  manual:
    schedule: "*/15 * * * *"
    files: [inbox, more/weights.csv]
    options: { idField: date, timestampField: date }
    batchSize: 1000
`);
    expect(config.missedRuns).toBe('catch-up');
    expect(config.timezone).toBe('Europe/Berlin');
    expect(config.sources).toHaveLength(1);
    expect(config.sources[0]).toMatchObject({
      name: 'manual',
      settings: { schedule: '*/15 * * * *', files: ['inbox', 'more/weights.csv'], options: { idField: 'date', timestampField: 'date' }, batchSize: 1000 },
    });
    expect(config.sources[0].source.name).toBe('manual');
  });

  it('refuses a wrong type, naming the key path and what was expected', () => {
    const msg = refusal(`sources:\n  manual:\n    schedule: "@hourly"\n    files: [inbox]\n    enabled: "yes"\n`);
    expect(msg).toContain('sources.manual.enabled: expected boolean, got "yes"');
    expect(refusal(`sources:\n  manual:\n    schedule: "@hourly"\n    files: inbox\n`)).toContain('sources.manual.files: expected array, got "inbox"');
    expect(refusal(`sources:\n  manual:\n    schedule: 5\n    files: [inbox]\n`)).toContain('sources.manual.schedule: expected string, got 5');
    expect(refusal(`serve: { port: "eighty" }\nsources: {}\n`)).toContain('serve.port: expected integer, got "eighty"');
  });

  it('refuses an unknown source with the list of known ones', () => {
    const msg = refusal(`sources:\n  tgl:\n    schedule: "@hourly"\n`);
    expect(msg).toContain(`sources.tgl: unknown source 'tgl' (known: ${Object.keys(sources).join(', ')})`);
  });

  it('refuses a bad cron expression', () => {
    const msg = refusal(`sources:\n  manual:\n    schedule: "every 5 min"\n    files: [inbox]\n`);
    expect(msg).toContain('sources.manual.schedule: "every 5 min" is not a valid cron expression');
    expect(refusal(`sources:\n  manual:\n    schedule: "61 * * * *"\n    files: [inbox]\n`)).toContain('sources.manual.schedule: "61 * * * *" is not a valid cron expression');
  });

  it('refuses unknown keys and options the source does not have', () => {
    expect(refusal(`sources:\n  manual:\n    schedule: "@daily"\n    files: [inbox]\n    shedule: x\n`)).toContain('sources.manual.shedule: unexpected property');
    expect(refusal(`sources:\n  manual:\n    schedule: "@daily"\n    files: [inbox]\n    options: { idfield: id }\n`)).toContain('sources.manual.options.idfield: unexpected property');
  });

  it('refuses a file source without files, a bad time zone, and broken YAML', () => {
    expect(refusal(`sources:\n  manual:\n    schedule: "@daily"\n`)).toContain('sources.manual.files: required');
    expect(refusal(`timezone: Mars/Olympus\nsources: {}\n`)).toContain('timezone: "Mars/Olympus" is not an IANA time zone');
    expect(refusal(`sources:\n  manual: [\n`)).toMatch(/^bronze\.config\.yaml: line \d+, column \d+: /);
    expect(refusal(`- a list\n`)).toContain('(top level): expected a mapping with a "sources" key');
    expect(refusal(`timezone: UTC\n`)).toContain('sources: expected required property');
  });

  it('is optional, unless BRONZE_CONFIG names a file', () => {
    const root = mkdtempSync(join(tmpdir(), 'bronze-config-'));
    writeFileSync(join(root, 'pnpm-workspace.yaml'), '');
    expect(loadConfig(all, { settings: loadSettings({ env: { BRONZE_HOME: root }, cwd: root }) }).sources).toEqual([]);
    expect(() => loadConfig(all, { settings: loadSettings({ env: { BRONZE_HOME: root, BRONZE_CONFIG: 'elsewhere.yaml' }, cwd: root }) })).toThrow(`configuration file ${join(root, 'elsewhere.yaml')} does not exist`);
    writeFileSync(join(root, 'elsewhere.yaml'), 'sources:\n  manual: { schedule: "@daily", files: [inbox] }\n');
    expect(loadConfig(all, { settings: loadSettings({ env: { BRONZE_HOME: root, BRONZE_CONFIG: 'elsewhere.yaml' }, cwd: root }) }).sources[0].name).toBe('manual');
  });
});

describe('bronze config validate', () => {
  function capture(): CliIo & { lines: string[] } {
    const lines: string[] = [];
    return { lines, out: (l) => lines.push(l), err: (l) => lines.push(l), tty: false };
  }

  it('exits 0 for a valid file and 2 for an invalid one, naming the key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bronze-config-'));
    const good = join(dir, 'good.yaml');
    const bad = join(dir, 'bad.yaml');
    writeFileSync(good, 'sources:\n  manual: { schedule: "0 6 * * *", files: [inbox] }\n');
    writeFileSync(bad, 'sources:\n  manual: { schedule: "every 5 min", files: [inbox] }\n');
    const ok = capture();
    expect(await main(['config', 'validate', '--config', good], ok)).toBe(0);
    expect(ok.lines.join('\n')).toMatch(/manual: "0 6 \* \* \*" \(next run \d{4}-/);
    const no = capture();
    expect(await main(['config', 'validate', '--config', bad], no)).toBe(2);
    expect(no.lines.join('\n')).toContain('sources.manual.schedule: "every 5 min" is not a valid cron expression');
  });

  it('exits 2 when a scheduled source cannot be configured from the environment', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bronze-config-'));
    const file = join(dir, 'toggl.yaml');
    writeFileSync(file, 'sources:\n  toggl: { schedule: "@hourly", streams: [me] }\n');
    const env = { ...process.env, TOGGL_API_TOKEN: '' };
    const io = capture();
    expect(await main(['config', 'validate', '--config', file], io, { env })).toBe(2);
    expect(io.lines.join('\n')).toContain('sources.toggl: missing TOGGL_API_TOKEN');
    const ok = capture();
    expect(await main(['config', 'validate', '--config', file], ok, { env: { ...env, TOGGL_API_TOKEN: 'fake-token-for-validate' } })).toBe(0);
    expect(ok.lines.join('\n')).not.toContain('fake-token-for-validate');
  });

  it('reports every problem in one round: each names its path, a union lists the allowed values, unknown streams name the source\'s streams', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bronze-config-'));
    const file = join(dir, 'many.yaml');
    writeFileSync(file, [
      'missedRuns: sometimes',
      'timezone: Mars/Olympus',
      'sources:',
      '  toggl: { schedule: "every day", streams: [me, time_entrys] }',
      '  manual: { schedule: "@daily", files: [inbox], batchSize: 0 }',
      '  fitbit: { schedule: "@daily" }',
      '',
    ].join('\n'));
    const io = capture();
    expect(await main(['config', 'validate', '--config', file], io, { env: { ...process.env, TOGGL_API_TOKEN: 'x-token-for-validate' } })).toBe(2);
    const text = io.lines.join('\n');
    expect(text).toContain('missedRuns: expected one of "catch-up", "skip", got "sometimes"');
    expect(text).not.toMatch(/union value/i);
    expect(text).toContain('sources.manual.batchSize: expected integer to be greater or equal to 1, got 0');
    expect(text).toContain("sources.fitbit: unknown source 'fitbit' (known: apple-health, garmin, github, google-takeout, manual, spotify, strava, toggl)");
    expect(text).toContain('timezone: "Mars/Olympus" is not an IANA time zone');
    expect(text).toContain('sources.toggl.schedule: "every day" is not a valid cron expression');
    expect(text).toContain("sources.toggl.streams.1: unknown stream 'time_entrys' of toggl (streams: me, workspaces, projects, clients, tags, time_entries, report_time_entries)");
    expect(text).not.toContain("'me'");
  });
});
