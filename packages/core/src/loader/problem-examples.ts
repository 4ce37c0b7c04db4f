import { basename } from 'node:path';
import type { BronzeRow } from '../envelope/envelope.js';

/** How many invalid (and warning) records a run's summary names. */
export const EXAMPLES_PER_STATUS = 3;
const MAX_MESSAGE_CHARS = 240;
const MAX_ID_CHARS = 48;

/**
 * The first records a run stored `invalid` or `warning`, named by file, place and id with
 * their message. The summary said only "invalid 2": the user had to know the table, the
 * run id and the columns to learn which records and why.
 */
export class ProblemExamples {
  readonly invalid: string[] = [];
  readonly warning: string[] = [];
  /** Every such row noted: a failed run's counts are not the result's, its committed batches are these. */
  readonly total = { invalid: 0, warning: 0 };

  /** Called for each row the loader stores (a dry run: would store). */
  note(row: BronzeRow): void {
    if (row.status === 'valid') return;
    this.total[row.status]++;
    const list = this[row.status];
    if (list.length < EXAMPLES_PER_STATUS) list.push(`${placeOf(row)}: ${clip(withoutPlace(row), MAX_MESSAGE_CHARS)}`);
  }
}

/** `bank.csv line 12`, `book.xlsx sheet "Sheet1" row 4`, `list.json /3`, `export.xml (records x1)` where no place is known, `runs 123` for an API record. */
function placeOf(row: BronzeRow): string {
  const m = row.metadata ?? {};
  const file = row.file ? basename(row.file.path) + (row.file.entry ? `!${row.file.entry}` : '') : undefined;
  const at =
    typeof m.line === 'number' ? `line ${m.line}`
    : typeof m.row === 'number' ? `${typeof m.sheet === 'string' ? `sheet ${JSON.stringify(m.sheet)} ` : ''}row ${m.row}`
    : typeof m.path === 'string' ? m.path
    : typeof m.jsonPath === 'string' ? m.jsonPath
    : undefined;
  const id = `${row.stream} ${clip(row.rawId, MAX_ID_CHARS)}`;
  if (!file) return id;
  return at ? `${file} ${at}` : `${file} (${id})`;
}

/** The message without the place it starts with when that is the row's own (`/x/export.xml line 12: …`, `line 17: …`): said once. */
function withoutPlace(row: BronzeRow): string {
  const message = row.error ?? '';
  const line = row.metadata?.line;
  if (typeof line !== 'number') return message;
  const leads = [`line ${line}: `, ...(row.file ? [`${row.file.path} line ${line}: `, `${basename(row.file.path)} line ${line}: `] : [])];
  const lead = leads.find((l) => message.startsWith(l));
  return lead ? message.slice(lead.length) : message;
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * The summary's lines for the examples, with the query that lists every such record of the
 * run (the run id is known only when the run wrote; a dry run stored nothing to query).
 */
export function problemNotes(e: ProblemExamples, source: string, runId?: string): string[] {
  const notes: string[] = [];
  const line = (status: 'invalid' | 'warning', examples: string[], total: number) => {
    if (!examples.length) return;
    const which = total > examples.length ? `the first ${examples.length} of ${total}` : examples.length === 1 ? 'it' : `all ${total}`;
    const query = runId
      ? `; all: bronze sql "SELECT stream, raw_id, error_message FROM bronze_${source} WHERE pipeline_run_id = '${runId}' AND validation_status = '${status}'"`
      : '';
    notes.push(`${status === 'invalid' ? 'invalid records' : 'records with warnings'}, ${which}: ${examples.join(' | ')}${query}`);
  };
  line('invalid', e.invalid, e.total.invalid);
  line('warning', e.warning, e.total.warning);
  return notes;
}
