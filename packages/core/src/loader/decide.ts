import type { Session } from '../db/session.js';
import type { BronzeRow } from '../envelope/envelope.js';
import type { BatchCounts } from './batch-counts.js';
import type { RowToWrite } from './write-rows.js';

/**
 * Which rows are new, new versions or unchanged (reads only: a dry run uses it too).
 * Keys of `fresh` streams are known to be absent from _latest (BatchLoader.freshStreams), and unique
 * in the file: each is version 1, with no lookup. For the others the server compares each
 * key's stored hash with the batch's and returns only the keys that are absent or differ
 * (or occur more than once in the batch: those need their stored hash): a re-import of an
 * unchanged export receives next to nothing, where it received one row per record.
 */
export async function decideRows(session: Session, latestTable: string, rows: BronzeRow[], counts: BatchCounts, fresh?: ReadonlySet<string>): Promise<RowToWrite[]> {
  const keyOf = (r: BronzeRow) => `${r.stream}\u0000${r.rawId}`;
  const keys: (string | undefined)[] = new Array(rows.length);
  const lookups = new Map<string, KeyLookup>();
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (fresh?.has(r.stream)) continue;
    const key = keyOf(r);
    keys[i] = key;
    const known = lookups.get(key);
    if (known) known.repeated = true;
    else lookups.set(key, { row: r, repeated: false, differs: false, latest: undefined });
  }
  if (lookups.size) await lookUpLatest(session, latestTable, [...lookups.values()]);

  const out: RowToWrite[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const key = keys[i];
    let version = 1;
    if (key !== undefined) {
      const lookup = lookups.get(key)!;
      // Not returned by the server: stored, with this (the key's only) row's hash.
      if (!lookup.differs && !lookup.repeated) {
        counts.unchanged++;
        continue;
      }
      const latest = lookup.latest;
      if (latest && latest.hash === row.recordHash) {
        counts.unchanged++;
        continue;
      }
      version = latest ? latest.version + 1 : 1;
      lookup.latest = { version, hash: row.recordHash };
    }
    out.push({ row, version });
    counts.inserted++;
    if (version > 1) counts.newVersion++;
    if (row.status === 'invalid') counts.invalid++;
    else if (row.status === 'warning') counts.warning++;
  }
  return out;
}

/**
 * Marks the keys whose stored hash differs from their row's, or that _latest lacks, with
 * their stored version; keys repeated in the batch come back with their stored hash too.
 * Hashes are hex, sent joined by commas ('-' asks for the stored hash). LATERAL … LIMIT 1
 * keeps one index probe per key: as a plain LEFT JOIN, PostgreSQL 15 chose to hash all of
 * _latest for each batch (3.5× slower at 1M keys).
 */
async function lookUpLatest(session: Session, latestTable: string, lookups: KeyLookup[]): Promise<void> {
  const returned = await session.query<{ i: string | number; version: number | null; record_hash: string | null }>(
    `SELECT k.i, l.version, CASE WHEN k.hash = '-' THEN l.record_hash END AS record_hash
       FROM unnest($1::text[], $2::text[], string_to_array($3, ',')) WITH ORDINALITY AS k(stream, raw_id, hash, i)
       LEFT JOIN LATERAL (SELECT version, record_hash FROM ${latestTable} l WHERE l.stream = k.stream AND l.raw_id = k.raw_id LIMIT 1) l ON true
      WHERE k.hash = '-' OR l.record_hash IS DISTINCT FROM k.hash`,
    [lookups.map((k) => k.row.stream), lookups.map((k) => k.row.rawId), lookups.map((k) => (k.repeated ? '-' : k.row.recordHash)).join(',')],
  );
  for (const r of returned) {
    const lookup = lookups[Number(r.i) - 1];
    lookup.differs = true;
    if (r.version !== null) lookup.latest = { version: Number(r.version), hash: r.record_hash ?? '' };
  }
}

/** One key of a batch, as decide looks it up in _latest. */
interface KeyLookup {
  /** The key's first row in the batch. */
  row: BronzeRow;
  repeated: boolean;
  /** The server returned it: absent, stored with another hash, or repeated. */
  differs: boolean;
  /** Its stored (then, along the batch, its decided) version and hash; '' when only "differs" is known. */
  latest: { version: number; hash: string } | undefined;
}
