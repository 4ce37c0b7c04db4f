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
});
