/** Calendar days as "YYYY-MM-DD", in UTC arithmetic (no time-zone shifts). */
export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  return isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000));
}

/** [from, to] (both included) cut into consecutive windows of at most `maxDays` days. */
export function* dayWindows(from: string, to: string, maxDays: number): Iterable<{ from: string; to: string }> {
  for (let start = from; start <= to; start = addDays(start, maxDays)) {
    const end = addDays(start, maxDays - 1);
    yield { from: start, to: end < to ? end : to };
  }
}
