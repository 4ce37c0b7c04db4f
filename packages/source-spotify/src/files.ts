import { basename } from 'node:path';
import { isZipFile, type Emitted, type FileImporter, type ImportedFile, type SourceContext } from '@bronze/core';
import type { SpotifyConfig } from './config.js';
import { spotifyFileRows } from './read-file.js';

/**
 * --file takes a Spotify export zip ("Account data", "Extended streaming history", or both in
 * one), or one JSON file out of one. Every entry of a zip lands in a stream, by its base name
 * (the folder Spotify puts them in, `Spotify Account Data/` or `Spotify Extended Streaming
 * History/`, varies and is ignored).
 */
export const spotifyFiles: FileImporter<SpotifyConfig> = {
  accepts: '.zip (my_spotify_data.zip), or one .json file of it (StreamingHistory*.json, Streaming_History_Audio_*.json, YourLibrary.json…)',
  match: (path) => /\.(zip|json)$/i.test(path),
  async *read(file: ImportedFile, _config: SpotifyConfig, ctx: SourceContext): AsyncIterable<Emitted> {
    if (!(await isZipFile(file.path))) {
      yield* spotifyFileRows(file, basename(file.path), basename(file.path), ctx);
      return;
    }
    for await (const entry of ctx.files.zipEntries(file)) {
      const source = { path: `${file.path}!${entry.name}`, open: () => entry.open() };
      yield* spotifyFileRows(source, entry.name.slice(entry.name.lastIndexOf('/') + 1), entry.name, ctx);
    }
  },
};
