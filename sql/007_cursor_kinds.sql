-- The cursors of the declarative incremental kinds (core/src/streams, docs/design.md §cursors)
-- replace two hand-written shapes. Rows written by earlier versions are rewritten in place;
-- rows already in the new shape are left alone, so this is safe on any database.

-- Toggl time_entries, incremental phase: {phase: 'incremental', since: <unix s>} → {cursor: <ISO>}.
-- `since` already had its overlap subtracted: the next request re-reads one more minute.
UPDATE bronze_state
SET cursor = jsonb_build_object('cursor', to_char(to_timestamp((cursor->>'since')::bigint) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
WHERE source = 'toggl' AND stream = 'time_entries' AND cursor->>'phase' = 'incremental' AND cursor ? 'since';

-- Toggl time_entries, backfill in progress: {phase: 'backfill', from: <ISO>, since: <unix s>}
-- → {backfill: {next: <ISO>, startedAt: <ISO>}}: the windows resume at `from`.
UPDATE bronze_state
SET cursor = jsonb_build_object('backfill', jsonb_build_object(
  'next', cursor->>'from',
  'startedAt', to_char(to_timestamp((cursor->>'since')::bigint) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
WHERE source = 'toggl' AND stream = 'time_entries' AND cursor->>'phase' = 'backfill' AND cursor ? 'from';

-- Garmin activities and activity_details: {startTimeGMT: <ISO>} → {cursor: <ISO>}.
-- (Garmin's day-keyed streams keep {day: 'YYYY-MM-DD'}, the day-window kind's own shape.)
UPDATE bronze_state
SET cursor = jsonb_build_object('cursor', cursor->'startTimeGMT')
WHERE source = 'garmin' AND stream IN ('activities', 'activity_details') AND cursor ? 'startTimeGMT';
