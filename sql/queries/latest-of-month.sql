-- The latest version of every record of one stream in one month (here Apple Health's
-- `records`): what a silver layer reads to rebuild a month.
-- $1: the month's first instant (timestamptz), $2: the next month's first instant.
SELECT DISTINCT ON (raw_id) raw_id, version, raw_data
  FROM bronze_apple_health
 WHERE stream = 'records' AND source_timestamp >= $1 AND source_timestamp < $2
 ORDER BY raw_id, version DESC;
