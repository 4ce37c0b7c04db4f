-- Records whose raw_data contains a JSON pattern (jsonb @>, served by the GIN index on
-- raw_data), within a time range: e.g. every heart-rate sample of a quarter.
-- $1: from (timestamptz, inclusive), $2: to (exclusive),
-- $3: the pattern, e.g. '{"type": "HKQuantityTypeIdentifierHeartRate"}' (jsonb).
SELECT raw_data
  FROM bronze_apple_health
 WHERE raw_data @> $3::jsonb AND source_timestamp >= $1 AND source_timestamp < $2;
