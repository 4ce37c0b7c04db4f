import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { ingest, silentLogger, type BronzeDatabase, type IngestOptions } from '@bronze/core';
import yazl from 'yazl';
import source, { type GeneratedEntry } from '../src/index.js';

export const FIXTURES = join(import.meta.dirname, 'fixtures');
/** The unpacked Takeout of real samples (test/fixtures/README.md). */
export const TAKEOUT_DIR = join(FIXTURES, 'takeout');

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'bronze-takeout-'));
}

/** Every file below a folder: path relative to it ('/'-separated) → bytes. */
export function treeOf(dir: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p).split('\\').join('/')] = readFileSync(p);
    }
  };
  walk(dir);
  return out;
}

/**
 * A zip like Takeout's: entries below `Takeout/`. Entries are written as streams (sizes in
 * a data descriptor after the data), as a streaming zip writer does.
 */
export async function writeZip(path: string, entries: Record<string, string | Buffer>): Promise<string> {
  const zip = new yazl.ZipFile();
  for (const [name, content] of Object.entries(entries)) zip.addReadStream(Readable.from([Buffer.from(content)]), name, { compress: true });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream) chunks.push(c as Buffer);
  writeFileSync(path, Buffer.concat(chunks));
  return path;
}

export function run(db: BronzeDatabase, files: string[], extra: Partial<IngestOptions> = {}) {
  return ingest(db, source, { files, logger: silentLogger(), ...extra });
}

/** Rows per stream in bronze_google_takeout. */
export async function rowsPerStream(db: BronzeDatabase): Promise<Record<string, number>> {
  const rows = await db.withSession((s) => s.query<{ stream: string; n: number }>('SELECT stream, count(*)::int AS n FROM bronze_google_takeout GROUP BY stream ORDER BY stream'));
  return Object.fromEntries(rows.map((r) => [r.stream, r.n]));
}

/** Elements per stream of a Takeout tree, counted with JSON.parse and plain text search (not bronze's streaming readers). */
export function expectedCounts(tree: Record<string, Buffer>): Record<string, number> {
  const counts: Record<string, number> = {};
  const add = (stream: string, n: number) => n && (counts[stream] = (counts[stream] ?? 0) + n);
  for (const [path, bytes] of Object.entries(tree)) {
    const text = bytes.toString('utf8');
    if (/Location History[^/]*\/(Records|Location ?History)\.json$/.test(path)) add('locations', JSON.parse(text).locations.length);
    else if (/Semantic Location History\/\d{4}\/\d{4}_[A-Z]+\.json$/.test(path)) add('semantic_location_history', JSON.parse(text).timelineObjects.length);
    else if (/(^|\/)Timeline\.json$/.test(path)) {
      const doc = JSON.parse(text);
      add('timeline_segments', doc.semanticSegments.length);
      add('timeline_raw_signals', doc.rawSignals.length);
      add('timeline_profile', 1);
    } else if (/My Activity\/[^/]+\/MyActivity\.json$/.test(path)) add(`my_activity_${path.split('/').at(-2)!.toLowerCase().replace(/ /g, '_')}`, JSON.parse(text).length);
    else if (/My Activity\/[^/]+\/MyActivity\.html$/.test(path)) add(`my_activity_${path.split('/').at(-2)!.toLowerCase().replace(/ /g, '_')}`, text.split('class="outer-cell').length - 1);
    else if (/history\/watch-history\.json$/.test(path)) add('youtube_watch_history', JSON.parse(text).length);
    else if (/history\/search-history\.json$/.test(path)) add('youtube_search_history', JSON.parse(text).length);
    else if (/history\/(watch|search)-history\.html$/.test(path)) add(`youtube_${/(watch|search)-history/.exec(path)![1]}_history`, text.split('class="outer-cell').length - 1);
    else if (/subscriptions\/subscriptions\.csv$/.test(path)) add('youtube_subscriptions', text.trim().split('\n').length - 1);
    // Fit folders in any case: exports write both `All sessions` and `All Sessions` (fixtures/README.md).
    else if (/Fit\/Daily activity metrics\/.*\.csv$/i.test(path)) add('fit_daily_activity_metrics', text.trim().split('\n').length - 1);
    else if (/Fit\/All sessions\/.*\.json$/i.test(path)) add('fit_sessions', 1);
    else add('other', 1);
  }
  return counts;
}

/** A generated Takeout's entries, read into memory (small scales only). */
export async function materialize(entries: GeneratedEntry[]): Promise<Record<string, Buffer>> {
  const out: Record<string, Buffer> = {};
  for (const e of entries) {
    const parts: Buffer[] = [];
    for await (const c of e.open()) parts.push(Buffer.from(c as Buffer));
    out[e.name] = Buffer.concat(parts);
  }
  return out;
}

/** The fixture Takeout as zip entries below `Takeout/`. */
export function fixtureEntries(): Record<string, Buffer> {
  return treeOf(TAKEOUT_DIR);
}
