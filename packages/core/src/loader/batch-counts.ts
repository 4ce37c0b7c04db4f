/** What happened to the records of a batch, a file or a run. */
export interface BatchCounts {
  seen: number;
  inserted: number;
  unchanged: number;
  newVersion: number;
  invalid: number;
  warning: number;
}

export function emptyCounts(): BatchCounts {
  return { seen: 0, inserted: 0, unchanged: 0, newVersion: 0, invalid: 0, warning: 0 };
}

export function addCounts(a: BatchCounts, b: BatchCounts): BatchCounts {
  return {
    seen: a.seen + b.seen,
    inserted: a.inserted + b.inserted,
    unchanged: a.unchanged + b.unchanged,
    newVersion: a.newVersion + b.newVersion,
    invalid: a.invalid + b.invalid,
    warning: a.warning + b.warning,
  };
}
