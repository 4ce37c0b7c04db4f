-- The bulk path for new months (packages/core/src/loader/bulk-month.ts) commits rows into a
-- stage table `bronze_<source>_bulk_YYYY_MM` that becomes the month's partition only when
-- its read ends. Each stage table is registered here in the transaction that creates it and
-- unregistered in the one that attaches it, so a reader can tell how far bronze is final.
CREATE TABLE IF NOT EXISTS bronze_bulk_stages (
  stage_table        text PRIMARY KEY,
  source             text NOT NULL,
  first_ingested_at  timestamptz NOT NULL DEFAULT now()
);

-- The instant before which a source's rows are final: every row with ingested_at earlier
-- than it that bronze will ever hold is visible now. An incremental silver load reads
--   WHERE ingested_at >= $last AND ingested_at < bronze_visible_through('<source>')
-- and keeps the returned instant as its next $last: nothing committed late (a batch in
-- flight, a month still staged, the stage tables of a run that died) is passed over.
-- It is held back by the source's running runs (their batches carry ingested_at at or
-- after the run's start) and by stage tables not yet attached; now() is the transaction's
-- start, earlier than any snapshot the caller's transaction takes.
CREATE OR REPLACE FUNCTION bronze_visible_through(p_source text) RETURNS timestamptz
LANGUAGE sql STABLE AS $$
  SELECT least(
    now(),
    (SELECT min(started_at) FROM bronze_runs WHERE source = p_source AND status = 'running'),
    (SELECT min(first_ingested_at) FROM bronze_bulk_stages WHERE source = p_source))
$$;
