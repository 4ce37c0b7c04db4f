/**
 * The keys a header row gives its records, as the real-file tests expect them independently of
 * the reader: the cell's text (`names(i)` first, where a test knows better), `column_<n>` when
 * blank, `name#2` when repeated. Cells are `[column, …, text, …]` tuples as the fixtures' Python
 * scripts write them.
 */
export function expectedHeaderKeys(header: readonly (readonly [number, ...unknown[]])[], names: (column: number) => string | undefined = () => undefined): string[] {
  const width = header.length ? header[header.length - 1][0] + 1 : 0;
  const text = (i: number) => header.find(([c]) => c === i)?.[2];
  const all = Array.from({ length: width }, (_, i) => names(i) ?? (text(i) as string | undefined) ?? '');
  const seen = new Map<string, number>();
  return all.map((name, i) => {
    if (name === '') return `column_${i + 1}`;
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name}#${n}`;
  });
}
