-- Rows written since the last load, up to the instant bronze is final for: an incremental
-- silver load keeps the instant it read up to (bronze_visible_through, sql/README.md) and
-- asks for what came from there (every version, in the order bronze wrote them). Reading up
-- to now() instead could pass over rows still staged or in a batch in flight.
-- $1: the instant the previous load read up to (timestamptz).
SELECT raw_data
  FROM bronze_apple_health
 WHERE ingested_at >= $1
   AND ingested_at < bronze_visible_through('apple_health');
