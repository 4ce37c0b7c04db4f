-- bronze_visible_through() took the name as stored in bronze_runs (`apple_health`); users
-- read and type a source's CLI name (`apple-health`, README), and that name matched no run
-- and no stage table: the function returned now(), and a silver layer that followed the
-- docs read past rows still in flight. It now takes either spelling, and refuses a name that
-- is no source's table (a typo must not read as "everything is final").
CREATE OR REPLACE FUNCTION bronze_visible_through(p_source text) RETURNS timestamptz
LANGUAGE plpgsql STABLE AS $fn$
DECLARE
  s text := replace(p_source, '-', '_');
BEGIN
  IF s !~ '^[a-z][a-z0-9_]{0,40}$' OR to_regclass('bronze_' || s) IS NULL THEN
    RAISE EXCEPTION 'bronze_visible_through: no source %: there is no table bronze_%', p_source, s
      USING HINT = 'pass a source''s name as bronze sources or bronze status shows it (apple-health or apple_health)';
  END IF;
  RETURN least(
    now(),
    (SELECT min(started_at) FROM bronze_runs WHERE source = s AND status = 'running'),
    (SELECT min(first_ingested_at) FROM bronze_bulk_stages WHERE source = s));
END
$fn$;
