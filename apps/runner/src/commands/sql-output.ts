import { JsonText, runSql, type BronzeDatabase, type StatementResult } from '@bronze/core';
import type { CliIo } from './io.js';
import { cellText, grid } from './shared.js';

/** A statement's result as the user reads it: a table, or what it did. */
export function formatResult(r: StatementResult, json: boolean): string {
  if (json) return `[${r.rows.map((row) => `{${r.columns.map((c, i) => `${JSON.stringify(c)}:${jsonValue(row[i])}`).join(',')}}`).join(',')}]`;
  if (!r.columns.length) return r.command ? `${r.command}${r.rowCount !== undefined ? ` ${r.rowCount}` : ''}` : `ok${r.rowCount ? ` (${r.rowCount} rows)` : ''}`;
  const text = grid(r.columns, r.rows.map((row) => row.map(cellText)));
  return `${text}\n(${r.rows.length} ${r.rows.length === 1 ? 'row' : 'rows'})`;
}

export async function runAndPrint(db: BronzeDatabase, text: string, io: CliIo, o: { json: boolean; write: boolean }): Promise<void> {
  for (const r of await runSql(db, text, { write: o.write })) io.out(formatResult(r, o.json));
}

/** A value as JSON: json and jsonb as the server wrote them (exact numbers), the rest as JSON.stringify writes it. */
function jsonValue(v: unknown): string {
  if (v instanceof JsonText) return v.text;
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)) ?? 'null';
}
