import { emit, fileReaders, type Emitted, type FileReaders } from '@bronze/core';
import { partOf } from './layout.js';
import { readActivityHtml } from './parts/activity-html.js';
import { readCsvRows } from './parts/csv-rows.js';
import { byteSource, where, type TakeoutFile } from './parts/entry.js';
import { readArrays } from './parts/json-arrays.js';
import { readMbox } from './parts/mbox.js';
import { readOtherFile } from './parts/other-file.js';

/** The records of one file of the Takeout, by what its path says it is; anything unknown goes to `other`. */
export async function* readTakeoutFile(f: TakeoutFile, files: FileReaders = fileReaders): AsyncIterable<Emitted> {
  const part = partOf(f.path);
  switch (part.kind) {
    case 'locations':
      return yield* readArrays(f, { streams: { locations: 'locations' }, rest: 'other' });
    case 'semantic':
      return yield* readArrays(f, { streams: { timelineObjects: 'semantic_location_history' }, rest: 'other' });
    case 'timeline':
      return yield* readArrays(f, { streams: { '': 'timeline_segments', semanticSegments: 'timeline_segments', rawSignals: 'timeline_raw_signals' }, rest: 'timeline_profile' });
    case 'activity':
      if (part.html) return yield* readActivityHtml(f, part.stream);
      return yield* readArrays(f, { streams: { '': part.stream }, rest: 'other' });
    case 'subscriptions':
      return yield* readCsvRows(f, files, 'youtube_subscriptions', (row) => row);
    case 'fit_daily':
      return yield* readCsvRows(f, files, 'fit_daily_activity_metrics', (row) => ({ date: part.date ?? null, row }));
    case 'fit_session':
      for await (const doc of files.jsonDocument(byteSource(f), { encoding: 'utf-8' })) yield emit(doc.value, { stream: 'fit_sessions', metadata: where(f) });
      return;
    case 'mbox':
      return yield* readMbox(f);
    default:
      return yield* readOtherFile(f, files);
  }
}
