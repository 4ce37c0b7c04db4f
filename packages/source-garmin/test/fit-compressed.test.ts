import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingest, silentLogger } from '@bronze/core';
import { describeOneEngine } from '@bronze/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import garmin from '../src/index.js';
import { fitMessagesPerFile } from './helpers/fit-messages.js';
import { decodeFit, fitDateTime, fitRows, loadFitSdk, type FitFileRow, type FitMessagesRow } from '@bronze/fit';
import { FIT_DIR } from './helpers/export-zip.js';
import { countFitMessages } from './helpers/fit-walker.js';

const read = (name: string) => readFileSync(join(FIT_DIR, name));
const COMPRESSED = 'fitparse_compressed-speed-distance.fit';
const ANTFS = 'fitparse_antfs-dump.63.fit';
const WAHOO = 'fitparse_elemnt-bolt-no-application-id-inside-developer-data-id.fit';

/**
 * A real file made unreadable for the decoder while staying intact: the first definition's
 * first base type becomes 0x1F (no such type), and the file CRC is recomputed with the SDK's
 * own calculator, so the bytes are sound and only the decoder is stuck.
 */
async function undecodableButIntact(): Promise<Buffer> {
  const { CrcCalculator } = await loadFitSdk();
  const buf = Buffer.from(read('fitparse_garmin-fenix-5-run.fit'));
  const headerSize = buf[0];
  expect(buf[headerSize] & 0x40).toBe(0x40); // the first record is a definition
  buf[headerSize + 8] = 0x1f;
  const end = headerSize + buf.readUInt32LE(4);
  buf.writeUInt16LE(CrcCalculator.calculateCRC(buf, 0, end), end);
  return buf;
}

describe('compressed-timestamp record headers', () => {
  beforeAll(async () => {
    await loadFitSdk();
  });

  for (const name of [COMPRESSED, ANTFS]) {
    it(`${name}: every message decoded, as many as an independent header walk counts`, () => {
      const buf = read(name);
      const walked = countFitMessages(buf).sections;
      expect(walked).toHaveLength(1);
      expect(walked[0].compressed).toBeGreaterThan(600);
      const decoded = decodeFit(buf);
      expect(decoded.damage, decoded.damage?.message).toBeUndefined();
      expect(decoded.decoderLimits).toEqual([]);
      expect(decoded.messages.length).toBe(walked[0].data);
      expect(decoded.sections[0].compressedTimestamps).toBe(walked[0].compressed);
      const rows = [...fitRows(buf)];
      expect(rows.every((r) => !r.meta.invalid && !r.meta.warning)).toBe(true);
      const inRows = rows.filter((r) => r.meta.stream === 'fit_messages').reduce((n, r) => n + (r.record as FitMessagesRow).messages.length, 0);
      expect(inRows).toBe(walked[0].data);
    });
  }

  it('the 780 messages of compressed-speed-distance.fit, records equal to python-fitparse\'s CSV', () => {
    const decoded = decodeFit(read(COMPRESSED));
    expect(decoded.messages.length).toBe(780);
    const records = decoded.messages.filter((m) => m.name === 'record').map((m) => m.fields);
    const csv = readFileSync(join(FIT_DIR, 'fitparse_compressed-speed-distance-records.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    // The first record holds its full timestamp only; fitparse's CSV lists the 754 after it.
    expect(Object.keys(records[0])).toEqual(['timestamp']);
    expect(records.length).toBe(csv.length + 1);
    for (let i = 0; i < csv.length; i++) {
      const [timestamp, hr, , , cadence] = csv[i];
      const r = records[i + 1];
      expect(r.timestamp, `record ${i + 1}`).toBe(Number(timestamp));
      expect(r.heartRate).toBe(Number(hr));
      expect(r.cadence ?? 'null').toBe(cadence === 'null' ? 'null' : Number(cadence));
    }
  });

  it('an intact file the decoder cannot read is a decoder limit, kept as bytes, not damage', async () => {
    const buf = await undecodableButIntact();
    const decoded = decodeFit(buf);
    expect(decoded.damage).toBeUndefined();
    expect(decoded.decoderLimits).toHaveLength(1);
    const [limit] = decoded.decoderLimits;
    expect(limit).toMatchObject({ section: 0, expectedMessages: countFitMessages(buf).sections[0].data, decodedMessages: 0 });
    expect(limit.message).toMatch(/^decoder limit: @garmin\/fitsdk decoded 0 of the 125 messages of section 0 \(.*\); the section is intact \(CRC correct\)/);
    expect(Buffer.from(limit.sectionBase64!, 'base64').equals(buf)).toBe(true);
    const [file] = [...fitRows(buf)];
    expect(file.meta.warning).toBe(limit.message);
    expect((file.record as FitFileRow).decoderLimits?.[0].sectionBase64).toBe(limit.sectionBase64);
  });

  it('a damaged file (CRC wrong) is still damage: its messages decoded, the CRC named, not compressed timestamps', () => {
    const buf = Buffer.from(read(COMPRESSED));
    buf[buf.length - 1] ^= 0xff;
    const decoded = decodeFit(buf);
    // Until 2026-12-02: 16 messages and "compressed timestamp messages are not currently supported at byte 936".
    expect(decoded.messages).toHaveLength(780);
    expect(decoded.damage).toEqual({ offset: 5785, section: 0, message: 'CRC error at byte 5785 of 5785 (section 0, after 780 messages)' });
    expect(decoded.decoderLimits).toEqual([]);
    const [file] = [...fitRows(buf)];
    expect(Buffer.from((file.record as FitFileRow).damage!.fileBase64!, 'base64').equals(buf)).toBe(true);
  });
});

describeOneEngine('FIT with compressed timestamps and unknown messages, ingested', (db) => {
  it('stores every message; unknown messages with field 253 get their source_timestamp from it', async () => {
    const r = await ingest(db(), garmin, { files: [join(FIT_DIR, COMPRESSED), join(FIT_DIR, WAHOO)], logger: silentLogger(), env: {} });
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    expect(r.invalid + r.warning).toBe(0);
    const counts = await fitMessagesPerFile(db());
    expect(counts).toEqual([
      { file: COMPRESSED, n: countFitMessages(read(COMPRESSED)).sections[0].data },
      { file: WAHOO, n: countFitMessages(read(WAHOO)).sections[0].data },
    ]);
    const unknown = await db().withSession((s) =>
      s.query<{ message: string; first: number; at: Date | null }>(
        `SELECT raw_data->>'message' AS message, (raw_data->'messages'->0->>'253')::bigint AS first, source_timestamp AS at
         FROM bronze_garmin WHERE stream = 'fit_messages' AND raw_data->>'message' IN ('65280', '65281') ORDER BY 1`,
      ),
    );
    expect(unknown.map((u) => u.message)).toEqual(['65280', '65281']);
    const withTimestamp = unknown.find((u) => u.message === '65280')!;
    expect(new Date(withTimestamp.at!).toISOString()).toBe(fitDateTime(Number(withTimestamp.first))!.toISOString());
    expect(new Date(withTimestamp.at!).toISOString()).toBe('2017-08-21T08:20:12.000Z') // 872238012 s after the FIT epoch;
  });

  it('a decoder limit is stored as a warning naming it, with the section bytes, and counted in the run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'garmin-fit-limit-'));
    const path = join(dir, 'intact-but-undecodable.fit');
    writeFileSync(path, await undecodableButIntact());
    const r = await ingest(db(), garmin, { files: [path], logger: silentLogger(), env: {} });
    expect(r.warning).toBe(1);
    const [row] = await db().withSession((s) =>
      s.query<{ validation_status: string; error_message: string; bytes: string }>(
        `SELECT validation_status, error_message, raw_data->'decoderLimits'->0->>'sectionBase64' AS bytes FROM bronze_garmin WHERE stream = 'fit_files' AND file_path = $1`, [path],
      ),
    );
    expect(row.validation_status).toBe('warning');
    expect(row.error_message).toMatch(/decoder limit: @garmin\/fitsdk decoded 0 of the 125 messages/);
    expect(Buffer.from(row.bytes, 'base64').equals(readFileSync(path))).toBe(true);
  });
});
