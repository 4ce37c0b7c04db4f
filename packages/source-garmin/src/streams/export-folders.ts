import { canonicalJson, defineStream, sha256Hex, type Stream, Type } from '@bronze/core';
import type { FolderStream } from '../export/export-kinds.js';
import { garminInstant } from '../time.js';

const FOLDER_OF: Record<FolderStream, string> = {
  export_fitness: 'DI-Connect-Fitness',
  export_wellness: 'DI-Connect-Wellness',
  export_metrics: 'DI-Connect-Metrics',
  export_aggregator: 'DI-Connect-Aggregator',
};

/**
 * Other JSON files of one export folder (personal records, gear, health status, max-met…),
 * one row per entry. The reader sets raw_id to `<kind>:<sha256 of the entry>`, the kind
 * being the file name without account prefix and dates (also in metadata.kind).
 */
function folderStream(name: FolderStream): Stream<unknown> {
  return defineStream<unknown>({
    name,
    schema: Type.Unknown({ description: `an entry of a JSON file in ${FOLDER_OF[name]}/` }),
    id: (entry) => sha256Hex(canonicalJson(entry).text),
    timestamp: (entry) => {
      if (!entry || typeof entry !== 'object') return undefined;
      const e = entry as Record<string, unknown>;
      // userBioMetrics dates its entries in metaData.calendarDate, fitnessAgeData in asOfDateGmt
      // (real exports; test/export-observed-layouts.test.ts): without them such rows had no
      // source_timestamp and landed in the default partition.
      const meta = e.metaData && typeof e.metaData === 'object' ? (e.metaData as Record<string, unknown>) : undefined;
      return garminInstant(e.calendarDate) ?? garminInstant(e.startTimestampGMT) ?? garminInstant(e.timestamp) ?? garminInstant(e.asOfDateGmt) ?? garminInstant(meta?.calendarDate);
    },
  });
}

export const exportFolderStreams = (Object.keys(FOLDER_OF) as FolderStream[]).map(folderStream);
