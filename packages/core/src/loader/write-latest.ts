import type { Session } from '../db/session.js';
import { copyFieldChunks, type CopyFieldValue } from './copy-text.js';
import type { RowToWrite } from './write-rows.js';

/**
 * Records the latest version of each written key in bronze_<source>_latest (one entry
 * per key). A version-1 key was absent from the table (the loader looked it up under
 * the source's lock), so those are appended with COPY, the cheap path of a first import;
 * later versions upsert.
 */
export async function writeLatest(session: Session, latest: string, items: RowToWrite[]): Promise<void> {
  const fresh = session.copyFrom ? items.filter((w) => w.version === 1) : [];
  const upserts = session.copyFrom ? items.filter((w) => w.version !== 1) : items;
  if (fresh.length) {
    const fields = (w: RowToWrite, out: CopyFieldValue[]) => {
      out[0] = w.row.stream;
      out[1] = w.row.rawId;
      out[2] = '1';
      out[3] = w.row.recordHash;
      return 4;
    };
    await session.copyFrom!(`COPY ${latest} (stream, raw_id, version, record_hash) FROM STDIN`, copyFieldChunks(fresh, fields));
  }
  if (upserts.length) {
    await session.query(
      `INSERT INTO ${latest} (stream, raw_id, version, record_hash)
       SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[])
       ON CONFLICT (stream, raw_id) DO UPDATE SET version = EXCLUDED.version, record_hash = EXCLUDED.record_hash`,
      [upserts.map((w) => w.row.stream), upserts.map((w) => w.row.rawId), upserts.map((w) => w.version), upserts.map((w) => w.row.recordHash)],
    );
  }
}
