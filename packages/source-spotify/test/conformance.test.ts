import { join } from 'node:path';
import { runConformance } from '@bronze/testkit';
import spotify from '../src/index.js';
import { accountDataEntries, EXTENDED_PLAYS, playsFile, tempDir, VIDEO_PLAY, writeZip } from './helpers/exports.js';

let zip: Promise<string> | undefined;

// Account data and extended history in one zip (as Spotify sends both when asked), with an empty environment.
runConformance({
  source: spotify,
  options: async () => ({
    files: [await (zip ??= writeZip(join(tempDir(), 'my_spotify_data.zip'), {
      ...accountDataEntries(),
      'Spotify Extended Streaming History/Streaming_History_Audio_2025.json': playsFile(EXTENDED_PLAYS),
      'Spotify Extended Streaming History/Streaming_History_Video_2025.json': playsFile([VIDEO_PLAY]),
    }))],
    env: {},
  }),
});
