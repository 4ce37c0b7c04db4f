-- Two indexes of every bronze table change shape for the silver layer's reads, measured by
-- `pnpm bench --queries` at 10M rows (README, sql/README.md); their number stays eight:
-- * (stream, raw_id, version DESC) instead of (stream, raw_id, version): "the latest version
--   of every record" (DISTINCT ON (raw_id) … ORDER BY raw_id, version DESC) reads it in order
--   without a sort; one record's history reads it backwards.
-- * (source_timestamp, stream) INCLUDE (partition_key) instead of (source_timestamp): counts
--   per day and stream over a time range become an index-only scan (a year at 10M rows:
--   ~200,000 heap pages read before, none after).
-- New tables get them from bronze_ensure_source_table; existing tables are rebuilt here (the
-- upgrade takes as long as building two indexes, seconds per million rows).

CREATE OR REPLACE FUNCTION bronze_ensure_source_table(p_source text)
RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
  t text := 'bronze_' || p_source;
BEGIN
  IF p_source !~ '^[a-z][a-z0-9_]{0,40}$' THEN
    RAISE EXCEPTION 'invalid source name %: use lower-case letters, digits and _', p_source;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('bronze_table:' || t));
  IF to_regclass(quote_ident(t)) IS NOT NULL THEN
    RETURN;
  END IF;

  EXECUTE format('CREATE SEQUENCE IF NOT EXISTS %I AS bigint', t || '_id_seq');
  EXECUTE format($ddl$
    CREATE TABLE IF NOT EXISTS %1$I (
      id                    bigint NOT NULL DEFAULT nextval(%2$L),
      source                text NOT NULL,
      stream                text NOT NULL,
      raw_data              jsonb NOT NULL,
      record_hash           text NOT NULL,
      ingested_at           timestamptz NOT NULL DEFAULT now(),
      source_timestamp      timestamptz,
      raw_id                text NOT NULL,
      validation_status     text NOT NULL DEFAULT 'valid'
                              CHECK (validation_status IN ('valid', 'invalid', 'warning')),
      error_message         text,
      metadata              jsonb,
      version               integer NOT NULL DEFAULT 1,
      environment           text,
      pipeline_run_id       uuid,
      pipeline_version      text,
      pipeline_parameters   jsonb,
      lineage_id            uuid NOT NULL DEFAULT gen_random_uuid(),
      parent_lineage_ids    uuid[],
      lineage_type          text,
      lineage_source        text,
      lineage_timestamp     timestamptz,
      lineage_metadata      jsonb,
      quality_metrics       jsonb,
      quality_score         numeric(5,4),
      quality_checks        jsonb,
      file_path             text,
      file_hash             text,
      file_size             bigint,
      compression_type      text,
      encoding              text,
      api_version           text,
      api_endpoint          text,
      api_request_id        text,
      api_response_code     integer,
      api_rate_limit_info   jsonb,
      processing_start_time timestamptz,
      processing_end_time   timestamptz,
      processing_duration   interval,
      processing_steps      jsonb,
      processing_errors     jsonb,
      partition_key         date GENERATED ALWAYS AS ((source_timestamp AT TIME ZONE 'UTC')::date) STORED
    ) PARTITION BY RANGE (source_timestamp)$ddl$, t, t || '_id_seq');
  EXECUTE format('ALTER SEQUENCE %I OWNED BY %I.id', t || '_id_seq', t);
  EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF %I DEFAULT', t || '_default', t);

  EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I (id)', t || '_id_idx', t);
  EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I (stream, raw_id, version DESC)', t || '_stream_raw_id_idx', t);
  EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I (source_timestamp, stream) INCLUDE (partition_key)', t || '_source_timestamp_idx', t);
  EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I (ingested_at)', t || '_ingested_at_idx', t);
  EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I (pipeline_run_id)', t || '_pipeline_run_id_idx', t);
  EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I (validation_status) WHERE validation_status <> ''valid''', t || '_validation_status_idx', t);
  EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I (file_hash) WHERE file_hash IS NOT NULL', t || '_file_hash_idx', t);
  EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I USING gin (raw_data jsonb_path_ops)', t || '_raw_data_idx', t);

  EXECUTE format($ddl$
    CREATE TABLE IF NOT EXISTS %I (
      stream       text NOT NULL,
      raw_id       text NOT NULL,
      version      integer NOT NULL,
      record_hash  text NOT NULL,
      PRIMARY KEY (stream, raw_id)
    )$ddl$, t || '_latest');
END
$fn$;

DO $do$
DECLARE
  t text;
BEGIN
  FOR t IN
    SELECT c.relname FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid
     WHERE c.relname LIKE 'bronze\_%' AND to_regclass(quote_ident(c.relname || '_latest')) IS NOT NULL
  LOOP
    IF to_regclass(quote_ident(t || '_stream_raw_id_idx')) IS NOT NULL
       AND pg_get_indexdef(to_regclass(quote_ident(t || '_stream_raw_id_idx'))) NOT LIKE '%version DESC%' THEN
      EXECUTE format('DROP INDEX %I', t || '_stream_raw_id_idx');
    END IF;
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I (stream, raw_id, version DESC)', t || '_stream_raw_id_idx', t);
    IF to_regclass(quote_ident(t || '_source_timestamp_idx')) IS NOT NULL
       AND pg_get_indexdef(to_regclass(quote_ident(t || '_source_timestamp_idx'))) NOT LIKE '%INCLUDE%' THEN
      EXECUTE format('DROP INDEX %I', t || '_source_timestamp_idx');
    END IF;
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I (source_timestamp, stream) INCLUDE (partition_key)', t || '_source_timestamp_idx', t);
  END LOOP;
END
$do$;
