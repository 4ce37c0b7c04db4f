-- What a source told the user about its run (ctx.note), kept with the run: a quota stop
-- ("stopped: Strava's daily read quota … run again after 00:00 UTC"), progress ("1,240 of
-- ~3,000 activities have details"), a choice it made. Before this they were only printed in
-- the run's summary line, so `bronze runs`, a scheduler or a silver layer saw a `succeeded`
-- run without knowing it had stopped early. Written when the run finishes (succeeded, failed
-- or interrupted), after the same secret redaction as the logs. Earlier runs get none.
ALTER TABLE bronze_runs ADD COLUMN IF NOT EXISTS notes text[] NOT NULL DEFAULT '{}';
