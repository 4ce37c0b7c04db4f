-- Every stored version of one record, oldest first: what changed between exports.
-- $1: the record's raw_id (text).
SELECT version, record_hash, ingested_at, raw_data
  FROM bronze_apple_health
 WHERE stream = 'records' AND raw_id = $1
 ORDER BY version;
