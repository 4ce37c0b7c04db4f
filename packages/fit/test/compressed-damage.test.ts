import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeFit, fitRows, loadFitSdk, type FitFileRow, type FitMessagesRow } from '../src/index.js';

// python-fitparse's compressed-speed-distance.fit (755 of its 780 messages have a compressed-
// timestamp header) cut to its first 3,000 bytes (test/fixtures/README.md). The whole file is
// the Garmin source's fixture: the messages before the cut are compared with its decoding.
const CUT = join(import.meta.dirname, 'fixtures', 'fitparse_compressed-speed-distance-cut.fit');
const WHOLE = join(import.meta.dirname, '..', '..', 'source-garmin', 'test', 'fixtures', 'fit', 'fitparse_compressed-speed-distance.fit');

interface Walked { messages: { at: number; c?: number }[]; error: string | null; walkedTo: number }

/** The independent walker (test/helpers/fit-walk.py, from the FIT protocol, not from this package or the SDK). */
function walk(buf: Buffer): Walked {
  const path = join(mkdtempSync(join(tmpdir(), 'fit-walk-')), 'walked.fit');
  writeFileSync(path, buf);
  const [section] = JSON.parse(execFileSync('python3', [join(import.meta.dirname, 'helpers', 'fit-walk.py'), path], { encoding: 'utf8' })) as Walked[];
  return section;
}

describe('@bronze/fit: a damaged section with compressed-timestamp headers', () => {
  beforeAll(async () => {
    await loadFitSdk();
  });

  it('cut at byte 3000: every whole message before the cut is decoded, the damage is where the cut is', () => {
    const cut = readFileSync(CUT);
    const walked = walk(cut);
    // The walker: 346 whole data messages (326 with a compressed header), then a record at 2997 running past the cut.
    expect(walked.messages).toHaveLength(346);
    expect(walked.messages.filter((m) => m.c !== undefined)).toHaveLength(326);
    expect(walked).toMatchObject({ error: 'truncated at 2997', walkedTo: 2997 });

    const decoded = decodeFit(cut);
    // Before: 16 messages, "compressed timestamp messages are not currently supported at byte 936".
    expect(decoded.messages).toHaveLength(walked.messages.length);
    expect(decoded.sections[0]).toMatchObject({ messages: 346, compressedTimestamps: 326 });
    expect(decoded.damage).toEqual({
      offset: 2997, record: 2997, section: 0,
      message: 'record cut short at byte 2997 of 3000 (section 0, after 346 messages; the record there runs past the end of the file)',
    });
    // The same messages, values and computed timestamps, as the whole (intact) file's first 346.
    const whole = decodeFit(readFileSync(WHOLE));
    expect(whole.damage).toBeUndefined();
    expect(decoded.messages).toEqual(whole.messages.slice(0, 346));

    const rows = [...fitRows(cut)];
    const file = rows[0].record as FitFileRow;
    expect(rows[0].meta.invalid).toMatch(/^FIT file damaged: record cut short at byte 2997 of 3000/);
    expect(Buffer.from(file.damage!.fileBase64!, 'base64').equals(cut)).toBe(true); // the file itself, not the rewritten records
    const messageRows = rows.filter((r) => r.meta.stream === 'fit_messages');
    expect(messageRows.reduce((n, r) => n + (r.record as FitMessagesRow).messages.length, 0)).toBe(346);
    expect(messageRows.every((r) => r.meta.invalid === rows[0].meta.invalid)).toBe(true);
  });

  it('cut where a record ends: every message decoded, the file named as ending inside its section', () => {
    const cut = readFileSync(CUT).subarray(0, 2997);
    expect(walk(cut)).toMatchObject({ error: null, walkedTo: 2997 });
    const decoded = decodeFit(cut);
    expect(decoded.messages).toHaveLength(346);
    expect(decoded.damage).toEqual({
      offset: 2997, section: 0,
      message: 'the file ends at byte 2997, inside section 0 (its header says the section ends at byte 5785), after 346 messages',
    });
  });

  it('a record header naming a local type never defined (garbage): the messages before it, the damage at it', () => {
    const buf = Buffer.from(readFileSync(CUT));
    const at = walk(buf).messages[200].at; // a compressed `record` message
    expect(at).toBe(2121);
    buf[at] = 0x0f; // a normal data header for local type 15, which the file never defines
    const walked = walk(buf);
    expect(walked).toMatchObject({ error: 'undefined local 15 at 2121', walkedTo: 2121 });
    const decoded = decodeFit(buf);
    expect(decoded.messages).toHaveLength(walked.messages.length); // 200
    expect(decoded.damage).toEqual({
      offset: 2121, record: 2121, section: 0,
      message: 'undecodable data at byte 2121 of 3000 (section 0, after 200 messages; the record there is a data message of local type 15, which no definition before it declares)',
    });
  });
});
