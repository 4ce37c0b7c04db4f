import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig, type BronzeConfig } from '../src/config/load-config.js';
import { sources } from '../src/sources.js';
// @ts-expect-error: the parser ships no types
import parsePrometheusTextFormat from 'parse-prometheus-text-format';

export const FIXTURES = join(import.meta.dirname, 'fixtures');

/** A project root of its own: bronze.config.yaml, an inbox with the fixture CSV, a data dir. */
export function tempProject(configYaml: string): { root: string; env: NodeJS.ProcessEnv; config: BronzeConfig } {
  const root = mkdtempSync(join(tmpdir(), 'bronze-runner-'));
  mkdirSync(join(root, 'inbox'));
  copyFileSync(join(FIXTURES, 'weights.csv'), join(root, 'inbox', 'weights.csv'));
  writeFileSync(join(root, 'bronze.config.yaml'), configYaml);
  const env = { ...process.env, BRONZE_HOME: root, BRONZE_CONFIG: '', DATABASE_URL: '', PG_HOST: '' };
  return { root, env, config: parseConfig(configYaml, join(root, 'bronze.config.yaml'), Object.values(sources)) };
}

export const MANUAL_CONFIG = (schedule: string, extra = '') => `
timezone: UTC
${extra}
sources:
  manual:
    schedule: "${schedule}"
    files: [inbox]
    options:
      idField: date
`;

export interface MetricFamily {
  name: string;
  type: string;
  help: string;
  metrics: { value?: string; labels?: Record<string, string>; buckets?: Record<string, string>; count?: string; sum?: string }[];
}

/** Prometheus text parsed by an independent parser (it throws on malformed input). */
export function parseMetrics(text: string): MetricFamily[] {
  return parsePrometheusTextFormat(text) as MetricFamily[];
}

/** The value of one sample, matched by name and a subset of its labels; undefined when absent. */
export function sample(families: MetricFamily[], name: string, labels: Record<string, string> = {}): number | undefined {
  const family = families.find((f) => f.name === name);
  const m = family?.metrics.find((x) => Object.entries(labels).every(([k, v]) => x.labels?.[k] === v));
  if (!m) return undefined;
  return Number(m.value ?? m.count);
}

export async function get(url: string): Promise<{ status: number; type: string | null; text: string }> {
  const res = await fetch(url);
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

/** Polls until check() returns a value (no timing assertion: the test timeout is the limit). */
export async function eventually<T>(check: () => Promise<T | undefined>, everyMs = 200): Promise<T> {
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
