import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeFit, fitDateTime, fitRows, loadFitSdk, type FitFileRow, type FitMessagesRow } from '@bronze/fit';
import { FIT_DIR } from './helpers/export-zip.js';

const fitFiles = readdirSync(FIT_DIR).filter((f) => f.endsWith('.fit')).sort();
const read = (name: string) => readFileSync(join(FIT_DIR, name));

describe('FIT decoding', () => {
  beforeAll(async () => {
    await loadFitSdk();
  });

  it('finds every fixture', () => expect(fitFiles.length).toBe(14));

  for (const name of fitFiles) {
    it(`${name}: decodes, every message lands in exactly one row`, () => {
      const buf = read(name);
      const decoded = decodeFit(buf);
      expect(decoded.messages.length).toBeGreaterThan(0);
      if (name === 'fitparse_activity-unexpected-eof.fit') expect(decoded.damage).toBeDefined();
      else expect(decoded.damage, decoded.damage?.message).toBeUndefined();
      const rows = [...fitRows(buf)];
      const file = rows.find((r) => r.meta.stream === 'fit_files')!.record as FitFileRow;
      const groups = rows.filter((r) => r.meta.stream === 'fit_messages').map((r) => r.record as FitMessagesRow);
      const inRows = groups.reduce((n, g) => n + g.messages.length, 0);
      expect(inRows).toBe(decoded.messages.length);
      expect(Object.values(file.messageCounts).reduce((a, b) => a + b, 0)).toBe(decoded.messages.length);
      // Each (section, sequence) appears once: no message duplicated or lost between chunks.
      const seen = new Set(groups.flatMap((g) => g.sequence.map((s) => `${g.section}:${s}`)));
      expect(seen.size).toBe(decoded.messages.length);
      expect(() => JSON.stringify(rows.map((r) => r.record))).not.toThrow();
    });
  }

  it('keeps raw values: the Fenix 5 records match the CSV written by python-fitparse', () => {
    const decoded = decodeFit(read('fitparse_garmin-fenix-5-run.fit'));
    const records = decoded.messages.filter((m) => m.name === 'record').map((m) => m.fields);
    const csv = readFileSync(join(FIT_DIR, 'fitparse_garmin-fenix-5-run-records.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    expect(records.length).toBe(csv.length);
    for (let i = 0; i < csv.length; i++) {
      const [, hr, , , , lat, long, altitude] = csv[i];
      expect(records[i].heartRate).toBe(Number(hr));
      expect(records[i].positionLat).toBe(Number(lat));
      expect(records[i].positionLong).toBe(Number(long));
      // Stored unscaled: altitude = (metres + 500) * 5.
      expect(records[i].altitude).toBe(Math.round((Number(altitude) + 500) * 5));
    }
    expect(fitDateTime(records[0].timestamp)?.toISOString()).toBe('2017-06-11T14:34:09.000Z');
  });

  it('keeps developer fields and their descriptions', () => {
    const decoded = decodeFit(read('fitparser_running-with-developer-data.fit'));
    expect(decoded.messages.filter((m) => m.name === 'fieldDescription').length).toBe(8);
    expect(decoded.messages.filter((m) => m.name === 'developerDataId').length).toBe(2);
    const withDev = decoded.messages.filter((m) => m.name === 'record' && m.fields.developerFields);
    expect(withDev.length).toBeGreaterThan(1000);
  });

  it('keeps messages and fields the profile does not name, by number', () => {
    const decoded = decodeFit(read('garth_12129115726_ACTIVITY.fit'));
    const unknown = decoded.messages.filter((m) => /^\d+$/.test(m.name));
    expect(new Set(unknown.map((m) => m.name))).toEqual(new Set(['22', '79', '140', '141', '147', '233', '288', '326', '327']));
    expect(unknown.find((m) => m.name === '233')!.globalMessageNumber).toBe(233);
    const record = decoded.messages.find((m) => m.name === 'record')!;
    expect(Object.keys(record.fields).some((k) => /^\d+$/.test(k))).toBe(true);
  });

  it('reads every section of a chained FIT file', () => {
    const decoded = decodeFit(read('fitparse_sample_mulitple_header.fit'));
    expect(decoded.sections.length).toBeGreaterThan(1);
    expect(decoded.sections.reduce((n, s) => n + s.messages, 0)).toBe(decoded.messages.length);
    expect(decoded.sections[1].offset).toBe(decoded.sections[0].headerSize + decoded.sections[0].dataSize + 2);
  });

  it('a truncated file keeps what decoded, marked invalid with the byte offset', () => {
    const buf = read('fitparse_activity-unexpected-eof.fit');
    const decoded = decodeFit(buf);
    expect(decoded.damage!.offset).toBe(buf.length);
    expect(decoded.messages.length).toBe(21);
    const rows = [...fitRows(buf)];
    for (const r of rows) expect(r.meta.invalid).toMatch(/end of stream at byte 768 of 768/);
    expect((rows[0].record as FitFileRow).damage?.offset).toBe(768);
  });

  it('bytes that are not FIT give one invalid file row', () => {
    const rows = [...fitRows(Buffer.from('this is not a FIT file at all'))];
    expect(rows.length).toBe(1);
    expect(rows[0].meta.invalid).toMatch(/not a FIT file.*byte 0/);
  });

  it('row ids are the file hash plus section, message type and chunk; stable across decodes', () => {
    const buf = read('fitparser_suunto-weight.fit');
    const ids = (rows: ReturnType<typeof fitRows>) => [...rows].map((r) => (r.meta.stream === 'fit_files' ? (r.record as FitFileRow).sha256 : `${(r.record as FitMessagesRow).message}:${(r.record as FitMessagesRow).chunk}`));
    const a = ids(fitRows(buf));
    expect(ids(fitRows(buf))).toEqual(a);
    // 4803 record messages: chunks 0..4 of at most 1000.
    expect(a.filter((id) => id.startsWith('record:'))).toEqual(['record:0', 'record:1', 'record:2', 'record:3', 'record:4']);
  });
});
