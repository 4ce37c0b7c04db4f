import { defineStream, Type, type Stream } from '@bronze/core';
import { ACCOUNT_STREAMS } from '../export-layout.js';

/**
 * One stream per account data file (YourLibrary.json → `your_library`, …). A file holding a
 * JSON array gives one row per element, raw_id `<file stem>:<sha256 of the element>#<n>`; a
 * file holding an object (most of them) gives one row, the whole document, raw_id its file
 * stem (`YourLibrary`, `Playlist1`, `Wrapped2024`): a later export's changed library is a new
 * version of it. No source_timestamp.
 */
function accountStream(name: string): Stream {
  return defineStream<unknown>({
    name,
    schema: Type.Unknown(),
    id: () => {
      throw new Error(`${name} rows get their raw_id from the reader`);
    },
  });
}

export const accountStreams: Stream[] = ACCOUNT_STREAMS.map(accountStream);
