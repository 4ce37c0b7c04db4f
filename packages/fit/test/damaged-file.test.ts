import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeFit, fitRows, loadFitSdk, type FitFileRow } from '../src/index.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name));
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The fit_files row of a file (the first row fitRows yields) and its invalid message. */
function fileRow(buf: Buffer): { row: FitFileRow; invalid?: string } {
  const [first] = fitRows(buf, { entry: 'x.fit' });
  expect(first.meta.stream).toBe('fit_files');
  return { row: first.record as FitFileRow, invalid: first.meta.invalid };
}

describe('@bronze/fit: a damaged file keeps every byte', () => {
  beforeAll(async () => {
    await loadFitSdk();
  });

  it('damaged in the middle (python-fitparse strava-android-app): 488 messages, then the file itself, rebuilt exactly', () => {
    const buf = fixture('fitparse_strava-android-app-201.10-b1218918.fit');
    const decoded = decodeFit(buf);
    // The independent walker (test/fixtures/README.md): 488 data messages, then "data for undefined local 11 at 7471".
    expect(decoded.messages).toHaveLength(488);
    expect(buf[7471] & 0x0f).toBe(11);
    // The SDK stops one past the record header it refused; the record itself starts at byte 7471 (0-based).
    expect(decoded.damage).toMatchObject({ offset: 7472, record: 7471, section: 0 });
    expect(decoded.damage!.message).toBe('undecodable data at byte 7472 of 78233 (section 0, after 488 messages; the record it could not read starts at byte 7471)');

    const { row, invalid } = fileRow(buf);
    expect(invalid).toContain('the record it could not read starts at byte 7471');
    const kept = Buffer.from(row.damage!.fileBase64!, 'base64');
    expect(kept.length).toBe(78233);
    expect(sha256(kept)).toBe(row.sha256);
    expect(kept.equals(buf)).toBe(true);
  });

  it('damage in the second of two chained sections: the first, decoded, section is kept as bytes too', () => {
    const buf = fixture('fitparse_activity-activity-filecrc.fit');
    const decoded = decodeFit(buf);
    // The walker: 22 messages in each section, the second section's CRC wrong.
    expect(decoded.sections.map((s) => s.messages)).toEqual([22, 22]);
    expect(decoded.damage).toMatchObject({ section: 1, offset: 1542 });
    expect(decoded.damage!.message).toMatch(/^CRC error at byte 1542 of 1542/);
    expect(decoded.damage!.record).toBeUndefined(); // every record was read: the CRC is what is wrong
    const { row } = fileRow(buf);
    expect(Buffer.from(row.damage!.fileBase64!, 'base64').equals(buf)).toBe(true);
  });

  it('a file never finalized (header data size 0, no CRC) decodes the records after its header', () => {
    const buf = fixture('fitparse_activity-unfinalized.fit');
    const decoded = decodeFit(buf);
    // The walker, told the records run to the end: 22 data messages, then 5 bytes that are no whole record.
    expect(decoded.messages).toHaveLength(22);
    expect(decoded.sections[0]).toMatchObject({ dataSize: 0, messages: 22 });
    expect(decoded.damage).toMatchObject({ offset: 769, record: 769, section: 0 });
    expect(decoded.damage!.message).toBe('the header of section 0 says 0 data bytes and there is no CRC (the file was never finalized): the 22 messages in the 757 bytes of records after it were decoded; the 5 bytes from byte 769 on are not a whole record');
    const rows = [...fitRows(buf)];
    expect(rows.filter((r) => r.meta.stream === 'fit_messages').reduce((n, r) => n + (r.record as { messages: unknown[] }).messages.length, 0)).toBe(22);
    const { row, invalid } = fileRow(buf);
    expect(invalid).toMatch(/^FIT file damaged: the header of section 0 says 0 data bytes/);
    expect(Buffer.from(row.damage!.fileBase64!, 'base64').equals(buf)).toBe(true);
  });

  it('a file cut short names the record the cut is in; an intact file keeps no bytes', () => {
    const whole = fixture('fitparse_activity-activity-filecrc.fit').subarray(0, 771); // section 0, intact
    expect(decodeFit(whole).damage).toBeUndefined();
    expect(fileRow(whole).row.damage).toBeUndefined();
    const cut = whole.subarray(0, 700);
    const decoded = decodeFit(cut);
    // The walker: 20 data messages, then "truncated data at 672" (a record running past the cut).
    expect(decoded.messages).toHaveLength(20);
    expect(decoded.damage!.record).toBe(672);
    expect(decoded.damage!.message).toMatch(/^end of stream at byte \d+ of 700 \(section 0, after 20 messages; the record it could not read starts at byte 672\)$/);
    expect(Buffer.from(fileRow(cut).row.damage!.fileBase64!, 'base64').equals(cut)).toBe(true);
  });

  // Cut where a record ends, the SDK reads past its buffer with no byte in its words (a RangeError
  // of its DataView): the message said "at byte 0 of 33", the start of the file.
  it('a file cut where a record ends says where the file ends and where the section should', () => {
    // The walker (helpers/fit-walk.py): header 12 bytes, the first definition message 12–32.
    const cut = fixture('fitparse_activity-activity-filecrc.fit').subarray(0, 33);
    const decoded = decodeFit(cut);
    expect(decoded.messages).toHaveLength(0);
    expect(decoded.damage).toEqual({
      offset: 33, section: 0,
      message: 'the file ends at byte 33, inside section 0 (its header says the section ends at byte 771), after 0 messages; the decoder stopped with: Offset is outside the bounds of the DataView',
    });
    expect(Buffer.from(fileRow(cut).row.damage!.fileBase64!, 'base64').equals(cut)).toBe(true);
    // Cut right after its 14-byte header, the SDK's words were "input is not a FIT file at byte 0".
    const headerOnly = fixture('fitparse_strava-android-app-201.10-b1218918.fit').subarray(0, 14);
    expect(decodeFit(headerOnly).damage?.message).toBe('the file ends at byte 14, inside section 0 (its header says the section ends at byte 78252), after 0 messages; the decoder stopped with: input is not a FIT file');
  });
});
