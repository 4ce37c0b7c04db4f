/** `Budget 2024` → `budget_2024`; a name with no a-z/0-9 (`Лист1`, `€`) → `sheet<position>`. */
function snake(name: string, position: number): string {
  const s = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return /[a-z]/.test(s) ? s : `sheet${position}${s ? `_${s}` : ''}`;
}

/**
 * The stream of each sheet, by its position in the workbook (.xlsx and .ods alike): the
 * file's stream (its name in snake_case, or --stream) plus `_<sheet>` (`budget_2024.xlsx`,
 * sheets `Income`, `Costs` → `budget_2024_income`, `budget_2024_costs`; two sheets giving the
 * same name → `…_2`). A workbook of one sheet too: a sheet added later must not move the
 * first one's rows to another stream, where a silver layer would count them twice. When the
 * sheets cannot be listed beforehand, every sheet goes to the file's stream, and the reader
 * says what is damaged.
 */
export function sheetStreamNames(prefix: string, sheets: readonly { name: string }[]): string[] {
  const used = new Set<string>();
  return sheets.map((s, i) => {
    let name = `${prefix}_${snake(s.name, i + 1)}`;
    for (let n = 2; used.has(name); n++) name = `${prefix}_${snake(s.name, i + 1)}_${n}`;
    used.add(name);
    return name;
  });
}

