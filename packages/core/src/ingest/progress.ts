/** What a long import reports while it runs (records, bytes, rate). */
export interface Progress {
  source: string;
  file?: string;
  stream?: string;
  records: number;
  bytes?: number;
  totalBytes?: number;
  elapsedMs: number;
  /**
   * After the read: the new months' partitions being indexed (bulk-month.ts). Their index
   * builds take ~0.5 s per month of ~28k rows on PostgreSQL, after the file shows 100%.
   */
  indexing?: IndexingProgress;
}

/** Months whose indexes are built, of the months a read loaded without them. */
export interface IndexingProgress {
  done: number;
  total: number;
}

export type ProgressListener = (p: Progress) => void;

/** Hears each month of a read whose indexes are built (BulkMonths.attachAll). */
export type IndexingListener = (p: IndexingProgress) => void;

/** Human line: "export.csv 41% 12.3 MB/30.0 MB 52,000 records 8,100 rec/s ETA 4s", then "… indexing new months 3/36". */
export function formatProgress(p: Progress): string {
  const secs = p.elapsedMs / 1000;
  const rate = secs > 0 ? p.records / secs : 0;
  const parts = [p.file ?? p.stream ?? p.source];
  if (p.bytes !== undefined && p.totalBytes) {
    const frac = Math.min(1, p.bytes / p.totalBytes);
    parts.push(`${Math.floor(frac * 100)}%`, `${(p.bytes / 1e6).toFixed(1)}/${(p.totalBytes / 1e6).toFixed(1)} MB`);
    if (frac > 0 && frac < 1) parts.push(`ETA ${Math.round(secs / frac - secs)}s`);
  }
  parts.push(`${p.records.toLocaleString('en-US')} records`, `${Math.round(rate).toLocaleString('en-US')} rec/s`);
  if (p.indexing) parts.push(`indexing new months ${p.indexing.done}/${p.indexing.total}`);
  return parts.join('  ');
}
