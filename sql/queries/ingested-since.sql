-- Rows written since a moment: an incremental silver load keeps the last ingested_at it
-- saw and asks for what came after (every version, in the order bronze wrote them).
-- $1: the last ingested_at already loaded (timestamptz).
SELECT raw_data
  FROM bronze_apple_health
 WHERE ingested_at > $1;
