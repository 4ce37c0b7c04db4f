import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runHostileSuite } from '@bronze/testkit';
import spotify from '../src/index.js';
import { EXTENDED_PLAYS, tempDir } from './helpers/exports.js';

const dir = tempDir();

/**
 * The hostile-input suite (issue 17) on the extended streaming history: a
 * `Streaming_History_Audio_*.json` file (a JSON array of plays) given with --file, into
 * extended_history_audio. A play has no id of its own: raw_id is `ts|uri|ms_played`
 * (src/play-ids.ts); the suite's id is `spotify_track_uri` (the part a hostile id lands in)
 * and its timestamp `ts`, on a real play of the sample (test/fixtures/README.md).
 */
runHostileSuite({
  name: 'spotify extended_history_audio',
  source: spotify,
  stream: 'extended_history_audio',
  fields: { id: 'spotify_track_uri', timestamp: 'ts', idIsPart: true, base: EXTENDED_PLAYS[0] },
  readsPastDamage: false,
  writeFile(name, records) {
    const path = join(dir, `Streaming_History_Audio_${name}.json`);
    writeFileSync(path, `[\n${records.join(',\n')}\n]\n`);
    return path;
  },
});
