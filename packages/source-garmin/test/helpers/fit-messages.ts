import type { BronzeDatabase } from '@bronze/core';

/** fit_messages rows' messages summed per file name (the last path part), ordered by name. */
export function fitMessagesPerFile(db: BronzeDatabase): Promise<{ file: string; n: number }[]> {
  return db.withSession((s) =>
    s.query<{ file: string; n: number }>(
      `SELECT regexp_replace(file_path, '^.*/', '') AS file, sum(jsonb_array_length(raw_data->'messages'))::int AS n
       FROM bronze_garmin WHERE stream = 'fit_messages' GROUP BY 1 ORDER BY 1`,
    ),
  );
}
