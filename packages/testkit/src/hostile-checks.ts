import { fromJsonbSafe, storedNumber, type BronzeDatabase, type IngestResult } from '@bronze/core';
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { HOSTILE_IDS, namedId, NUMBERS, type HostileFields } from './hostile-cases.js';

export interface HostileRow {
  raw_id: string;
  validation_status: string;
  error_message: string | null;
  raw_data: Record<string, unknown>;
  source_timestamp: Date | null;
  metadata: Record<string, unknown> | null;
}

/** What one case stored, for its check. */
export interface Stored {
  db: BronzeDatabase;
  /** The source's name (its table is bronze_<name>). */
  source: string;
  fields: HostileFields;
  rows: HostileRow[];
  /** Error messages of every row the case stored, in any stream. */
  messages: string[];
  result: IngestResult;
  /** The records read (for an API case with damage: those of the clean run). */
  records: string[];
  /** The file, for a file source. */
  path?: string;
  api: boolean;
}

/** Rows by the text of their id value; `key(s, name)` is that text for a named record. */
const byId = (s: Stored) => new Map(s.rows.map((r) => [String(fromJsonbSafe(r.raw_data[s.fields.id] ?? null)), r]));
const key = (s: Stored, name: string) => String(namedId(s.fields, name));

/** What each case's rows must show, beyond the counts every case checks (hostile.ts). */
export const HOSTILE_CHECKS: Record<string, (s: Stored) => void | Promise<void>> = {
  poison_timestamps(s) {
    const m = byId(s);
    expect(m.get(key(s, 'ts-0'))!.source_timestamp).not.toBeNull();
    for (let i = 0; i < 5; i++) expect(m.get(key(s, `poison-${i}`))!.source_timestamp, `poison-${i}`).toBeNull();
    // ISO texts every source reads as dates: the warning names the value.
    expect(m.get(key(s, 'poison-0'))).toMatchObject({ validation_status: 'warning', error_message: expect.stringMatching(/0000-01-01/) });
    expect(m.get(key(s, 'poison-1'))).toMatchObject({ validation_status: 'warning', error_message: expect.stringMatching(/10000-01-01T07:59:59/) });
  },

  hostile_ids(s) {
    expect(new Set(s.rows.map((r) => r.raw_id)).size).toBe(s.rows.length);
    const ids = s.rows.map((r) => fromJsonbSafe(r.raw_data[s.fields.id]));
    for (const id of HOSTILE_IDS) expect(ids).toContain(id);
    for (const r of s.rows) expect(r.raw_id.length).toBeLessThan(2700);
  },

  ids_of_every_type(s) {
    expect(new Set(s.rows.map((r) => r.raw_id)).size, 'no two ids merged').toBe(s.rows.length);
    // A composed raw_id (`ts|uri|ms_played`) holds the id's text as one of its parts.
    const reads = (r: HostileRow) => (s.fields.idIsPart ? r.raw_id.includes('[object Object]') : r.raw_id === '[object Object]');
    expect(s.rows.filter(reads).length, 'only the string "[object Object]" reads as that text').toBe(1);
    for (const r of s.rows) {
      const id = r.raw_data[s.fields.id];
      if (typeof id === 'string') continue;
      // Refused, and keyed by the record's hash: a file numbers a repeated id ("true#2"), so
      // only this shows `true` would merge with a "true" of another file or run.
      expect(r, JSON.stringify(id)).toMatchObject({ validation_status: 'invalid', raw_id: expect.stringMatching(/^sha256:/) });
    }
  },

  deep_nesting(s) {
    const deep = s.rows.find((r) => r.validation_status === 'invalid')!;
    expect(deep.error_message).toMatch(/nested deeper than/);
    expect(s.rows.filter((r) => r.validation_status === 'valid').length).toBe(2);
  },

  broken_mid_chunk(s) {
    const ok = new Set(Array.from({ length: 305 }, (_, i) => key(s, `ok-${i}`)));
    const m = byId(s);
    const before = [...ok].slice(0, 300).filter((id) => m.has(id));
    expect(before.length, 'every record before the damage').toBe(300);
    // An API case's run after the damage got every record; its failure was checked in hostile.ts.
    if (s.api) {
      expect([...ok].filter((id) => m.get(id)?.validation_status === 'valid').length).toBe(305);
      return;
    }
    // The damage is named with its line, and that line of the file holds the broken record.
    const lines = [...s.messages, ...s.result.errors].flatMap((e) => [...e.matchAll(/line (\d+)/g)].map((x) => Number(x[1])));
    expect(lines.length, 'the damage is named with its line').toBeGreaterThan(0);
    const text = readFileSync(s.path!, 'utf8').split('\n');
    const broken = JSON.stringify(namedId(s.fields, 'broken'));
    expect(lines.some((n) => text[n - 1]?.includes(broken)), `line ${lines.join('/')} holds the damage`).toBe(true);
  },

  duplicate_keys(s) {
    const dup = byId(s).get(key(s, 'dup'))!;
    expect(dup.validation_status).toBe('warning');
    expect(dup.error_message).toMatch(/duplicate key "v"/);
    expect(dup.raw_data.v).toEqual({ kept: 'too' });
    expect(JSON.stringify(dup.metadata)).toContain('"earlier":["1"]');
  },

  proto_keys(s) {
    const r = byId(s).get(key(s, 'proto'))!;
    expect(Object.getOwnPropertyDescriptor(r.raw_data, '__proto__')?.value).toEqual({ polluted: true });
    expect(Object.getOwnPropertyDescriptor(r.raw_data.o as object, '__proto__')?.value).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  },

  marker_lookalikes(s) {
    expect(fromJsonbSafe(s.rows[0].raw_data)).toEqual(JSON.parse(s.records[0]));
  },

  async exact_numbers(s) {
    expect(s.rows[0].validation_status, s.rows[0].error_message ?? '').toBe('valid');
    for (const [k, literal] of Object.entries(NUMBERS)) {
      const r = await s.db.withSession((q) => storedNumber(q, s.source, s.fields.id, key(s, 'numbers'), k, literal));
      expect(r.same, `${k} = ${literal}`).toBe(true);
      if (k === 'c') expect(r.text, 'jsonb keeps the scale of 1.10').toBe('1.10');
    }
  },
};
