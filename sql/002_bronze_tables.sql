-- The bronze table template and its month partitions.
-- Every source gets bronze_<source> (partitioned by month of source_timestamp, with a
-- default partition for rows without a date) and bronze_<source>_latest, the small
-- unpartitioned index of the latest version of each (stream, raw_id) that makes the
-- loader idempotent. See sql/README.md for every column and index.

-- Creates a month partition of a bronze table, moving that month's rows out of the
-- default partition first (PostgreSQL refuses a new partition while the default holds
-- rows that belong to it). Safe under concurrency: creators serialize on an advisory
-- transaction lock and re-check. Returns true when it created the partition.
CREATE OR REPLACE FUNCTION bronze_ensure_month_partition(p_table text, p_month date)
RETURNS boolean LANGUAGE plpgsql AS $fn$
DECLARE
  v_first  date := date_trunc('month', p_month)::date;
  v_start  timestamptz := make_timestamptz(extract(year FROM v_first)::int, extract(month FROM v_first)::int, 1, 0, 0, 0, 'UTC');
  v_end    timestamptz := (v_first + interval '1 month')::timestamp AT TIME ZONE 'UTC';
  v_part   text := p_table || '_' || to_char(v_first, 'YYYY_MM');
  v_cols   text;
  v_moving boolean;
BEGIN
  IF to_regclass(quote_ident(v_part)) IS NOT NULL THEN
    RETURN false;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('bronze_partition:' || p_table));
  IF to_regclass(quote_ident(v_part)) IS NOT NULL THEN
    RETURN false;
  END IF;

  EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE source_timestamp >= $1 AND source_timestamp < $2)',
                 p_table || '_default')
    INTO v_moving USING v_start, v_end;

  IF v_moving THEN
    -- Every column but the generated one, so the rows keep their ids and values exactly.
    SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO v_cols
      FROM pg_attribute
     WHERE attrelid = quote_ident(p_table)::regclass AND attnum > 0
       AND NOT attisdropped AND attgenerated = '';
    EXECUTE format('CREATE TEMP TABLE bronze_partition_move ON COMMIT DROP AS SELECT %s FROM %I WITH NO DATA',
                   v_cols, p_table);
    EXECUTE format('WITH moved AS (DELETE FROM %I WHERE source_timestamp >= $1 AND source_timestamp < $2 RETURNING %s)
                    INSERT INTO bronze_partition_move SELECT * FROM moved',
                   p_table || '_default', v_cols) USING v_start, v_end;
  END IF;

  EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                 v_part, p_table, v_start, v_end);

  IF v_moving THEN
    EXECUTE format('INSERT INTO %I (%s) SELECT %s FROM bronze_partition_move', p_table, v_cols, v_cols);
    DROP TABLE bronze_partition_move;
  END IF;
  RETURN true;
END
$fn$;

-- Creates bronze_<source>, its default partition, its indexes and bronze_<source>_latest.
-- Idempotent: every statement is IF NOT EXISTS, so it runs before each ingestion.
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
  EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I (stream, raw_id, version)', t || '_stream_raw_id_idx', t);
  EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I (source_timestamp)', t || '_source_timestamp_idx', t);
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
