/**
 * What the activity streams of one run learn about each other (the streams of a run are built
 * together by streams(config)): how many activities the listing holds, for the progress note
 * of the detail streams ("1,240 of ~3,000 activities have details").
 */
export interface ActivityTally {
  listed?: number;
  /** Every gear_id the activities stream has listed (collected in its cursor as `gear`): /athlete names bikes and shoes only with profile:read_all. */
  gearIds: Set<string>;
}

const fmt = (n: number) => n.toLocaleString('en-US');

/** `through`: the stream's cursor, the start_date of the last activity handled. */
export function progressNote(what: string, done: number, tally: ActivityTally, through: string | number | undefined): string {
  const total = tally.listed !== undefined ? ` of ~${fmt(Math.max(tally.listed, done))}` : '';
  return `${fmt(done)}${total} activities have ${what}${through ? ` (through ${String(through).slice(0, 10)})` : ''}`;
}
