/**
 * `pnpm bench --source google-takeout`: a generated Takeout of ≥ 2 GB uncompressed (a
 * ~1.5 GB Records.json among it) as one takeout-*.zip, ingested end to end in a child
 * process: records/s, bytes/s, peak RSS, with core's progress line on stderr.
 */
import { createWriteStream, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { generateTakeout, type TakeoutScale } from '@bronze/source-google-takeout';
import yazl from 'yazl';
import type { BenchArgs } from './args.js';
import { benchFolder } from './bench-folder.js';
import { benchDatabases } from './databases.js';
import { runIngest } from './run-ingest.js';

/** 4.5M locations of ~360 bytes: a Records.json of ~1.6 GB; with the rest, ~2.1 GB. */
export const TAKEOUT_SCALE: TakeoutScale = { locations: 4_500_000, semantic: 50_000, activities: 100_000, subscriptions: 500, fitDays: 365, photoBytes: 300 * 2 ** 20 };

/** The default Takeout shrunk (or grown) to `locations` locations, every part in proportion. */
function scaled(locations: number): TakeoutScale {
  const f = locations / TAKEOUT_SCALE.locations;
  const of = (n: number) => Math.max(1, Math.round(n * f));
  return { locations, semantic: of(TAKEOUT_SCALE.semantic), activities: of(TAKEOUT_SCALE.activities), subscriptions: of(TAKEOUT_SCALE.subscriptions), fitDays: of(TAKEOUT_SCALE.fitDays), photoBytes: of(TAKEOUT_SCALE.photoBytes!) };
}

/** Writes the Takeout as a zip; returns the entries' uncompressed sizes. */
async function writeTakeout(path: string, scale: TakeoutScale): Promise<Record<string, number>> {
  const zip = new yazl.ZipFile();
  const sizes: Record<string, number> = {};
  for (const e of generateTakeout(scale)) {
    sizes[e.name] = 0;
    const count = new Transform({
      transform(chunk: Buffer, _enc, done) {
        sizes[e.name] += chunk.length;
        done(null, chunk);
      },
    });
    // Photos are stored (incompressible); the rest deflated fast (level 1).
    zip.addReadStream(e.open().pipe(count), e.name, /\.jpg$/.test(e.name) ? { compress: false } : { compressionLevel: 1 });
  }
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(path));
  return sizes;
}

export async function runTakeoutBench(args: BenchArgs, log: (m: string) => void): Promise<void> {
  const folder = benchFolder(args, 'bronze-bench-takeout-');
  const dir = folder.dir;
  const scale = args.recordsGiven ? scaled(args.records) : TAKEOUT_SCALE;
  const zip = join(dir, 'takeout-20250101T000000Z-001.zip');
  log(`generating a Takeout with ${scale.locations.toLocaleString('en-US')} locations in ${zip}`);
  const t0 = performance.now();
  const sizes = await writeTakeout(zip, scale);
  const uncompressed = Object.values(sizes).reduce((a, b) => a + b, 0);
  const records = sizes['Takeout/Location History/Records.json'];
  const zipBytes = statSync(zip).size;
  log(`  ${(uncompressed / 1e9).toFixed(2)} GB uncompressed (Records.json ${(records / 1e9).toFixed(2)} GB), zip ${(zipBytes / 1e9).toFixed(2)} GB, in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

  const dbs = await benchDatabases(args.engine, dir, args.databaseUrl, args.keep);
  try {
    log('end-to-end ingest (progress lines from core below)');
    const run = await runIngest(dbs.childEnv, [zip], false, { source: '@bronze/source-google-takeout', progress: true });
    const figures = {
      source: 'google_takeout',
      uncompressed_bytes: uncompressed,
      records_json_bytes: records,
      zip_bytes: zipBytes,
      rows_seen: run.result.seen,
      rows_inserted: run.result.inserted,
      seconds: run.seconds,
      records_per_s: run.result.seen / run.seconds,
      uncompressed_bytes_per_s: uncompressed / run.seconds,
      zip_bytes_per_s: zipBytes / run.seconds,
      peak_rss_mb: run.maxRssMb,
      engine: args.engine,
      postgres_version: dbs.version,
      machine: `${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GB RAM, Node ${process.version}`,
      date: new Date().toISOString(),
    };
    const rows: [string, string][] = [
      ['Takeout (uncompressed / zip)', `${(uncompressed / 1e9).toFixed(2)} GB / ${(zipBytes / 1e9).toFixed(2)} GB (Records.json ${(records / 1e9).toFixed(2)} GB)`],
      ['rows (seen / inserted)', `${run.result.seen.toLocaleString('en-US')} / ${run.result.inserted.toLocaleString('en-US')}`],
      ['ingest', `${run.seconds.toFixed(0)} s: ${Math.round(figures.records_per_s).toLocaleString('en-US')} records/s, ${(figures.uncompressed_bytes_per_s / 1e6).toFixed(1)} MB/s uncompressed (${(figures.zip_bytes_per_s / 1e6).toFixed(1)} MB/s of zip)`],
      ['peak RSS (ingest process)', `${run.maxRssMb.toFixed(0)} MB`],
      ['engine', `${args.engine} ${dbs.version}`],
    ];
    process.stdout.write(`${['| figure | value |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n')}\n`);
    if (args.json) writeFileSync(args.json, `${JSON.stringify(figures, null, 2)}\n`);
  } finally {
    await dbs.drop();
    folder.remove();
  }
}
