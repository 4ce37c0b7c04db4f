-- Row counts per day and stream over a range (partition_key is the UTC day of
-- source_timestamp): a quick view of gaps and bursts.
-- $1: from (timestamptz, inclusive), $2: to (exclusive).
SELECT partition_key AS day, stream, count(*) AS rows
  FROM bronze_apple_health
 WHERE source_timestamp >= $1 AND source_timestamp < $2
 GROUP BY partition_key, stream
 ORDER BY partition_key, stream;
