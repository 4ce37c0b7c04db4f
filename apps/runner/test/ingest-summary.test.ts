import { expect, it } from 'vitest';
import type { IngestResult } from '@bronze/core';
import { formatSummary } from '../src/commands/ingest-summary.js';

const result = (o: Partial<IngestResult> & { failed?: number }): IngestResult =>
  ({
    source: 'manual', runId: '00000000-0000-0000-0000-000000000000', status: 'succeeded', seen: 0, inserted: 0, unchanged: 0, newVersion: 0, invalid: 0, warning: 0,
    errors: [], seconds: 0.1, files: { imported: 0, skipped: 0, failed: o.failed ?? 0, unrecognised: [] }, notes: [], ...o,
  }) as IngestResult;

// A run whose only file gave 0 records stored nothing: its status word said plain
// `succeeded`, the reason only at the end of a long line.
it('a run that succeeded with a file that gave 0 records says so in its status', () => {
  const note = '0 records from /tmp/x.xlsx: nothing stored, the file is not marked imported';
  expect(formatSummary(result({ failed: 1, notes: [note] }))).toMatch(/^manual: succeeded, but 1 file gave 0 records — seen 0, .*; 0 records from \/tmp\/x\.xlsx/);
  expect(formatSummary(result({ failed: 2, warning: 3, seen: 5, inserted: 5, files: { imported: 1, skipped: 0, failed: 2, unrecognised: [] } }))).toMatch(
    /^manual: succeeded with 3 warnings, but 2 files gave 0 records — /,
  );
  expect(formatSummary(result({ seen: 2, inserted: 2, files: { imported: 1, skipped: 0, failed: 0, unrecognised: [] } }))).toMatch(/^manual: succeeded — seen 2/);
  expect(formatSummary(result({ status: 'failed', failed: 1, errors: ['x: broken'] }))).toMatch(/^manual: failed — /);
});

it('the summary ends with the first invalid and warning records the run stored, after the notes', () => {
  const problems = ["invalid records, it: list.json /1: the record is a number: Expected object; all: bronze sql \"SELECT …\""];
  const line = formatSummary(result({ seen: 2, inserted: 2, invalid: 1, notes: ['list.json: no source_timestamp'], problems }));
  expect(line).toMatch(/invalid 1, .*; list\.json: no source_timestamp; invalid records, it: list\.json \/1: the record is a number: Expected object; all: bronze sql "SELECT …" \(run 0{8}-/);
});
