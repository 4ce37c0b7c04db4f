import type { InstantReading } from '../timestamp.js';

const DAY_MS = 86_400_000;
/** Day 0 of each date system: 1899-12-30 (1900 system, counting its fake 1900-02-29) and 1904-01-01. */
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);

/**
 * The instant an Excel date serial stands for, read as UTC (a workbook has no time zone).
 * In the 1900 system Excel counts 1900-02-29, which did not exist (Lotus 1-2-3's bug, kept
 * for compatibility): serials from 61 on are days since 1899-12-30, serials 1–59 one day
 * later than that count would give (1 = 1900-01-01), and 60 is that non-existent day. The
 * 1904 system (workbookPr date1904) counts days since 1904-01-01 with no such day. A value
 * below 1 (1900) or 0 (1904) is a time of day without a date: not an instant.
 */
export function excelSerialInstant(serial: number, date1904: boolean): InstantReading | undefined {
  if (!Number.isFinite(serial)) return undefined;
  if (date1904) {
    if (serial < 0) return undefined;
    return { at: new Date(EPOCH_1904 + Math.round(serial * DAY_MS)) };
  }
  if (serial < 1) return undefined;
  if (Math.floor(serial) === 60) return { problem: `${serial} is 1900-02-29 in Excel's 1900 date system, a day that did not exist` };
  const days = serial < 60 ? serial + 1 : serial;
  const at = new Date(EPOCH_1900 + Math.round(days * DAY_MS));
  // Excel's last date is 9999-12-31; beyond it a number is not a date.
  return at.getUTCFullYear() > 9999 ? undefined : { at };
}
