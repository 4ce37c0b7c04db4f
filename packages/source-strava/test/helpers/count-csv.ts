/**
 * Data rows of a CSV text, counted on its characters without a CSV library: line breaks outside
 * double quotes end a record (a quoted field may hold line breaks, as activities.csv's
 * descriptions do), the header is not counted, nor a final line break. The tests compare it
 * with the rows core's reader stored, so it must not share that reader. Each count it gives
 * for a fixture was checked with Python's csv module too (test/fixtures/README.md).
 */
export function csvDataRows(text: string): number {
  let records = 0;
  let quoted = false;
  let open = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) {
      if (c === '\r' && text[i + 1] === '\n') i++;
      if (open) records++;
      open = false;
      continue;
    }
    open = true;
  }
  if (open) records++;
  return Math.max(records - 1, 0);
}
