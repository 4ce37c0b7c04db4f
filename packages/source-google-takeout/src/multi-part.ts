import { readdir } from 'node:fs/promises';
import { basename, dirname } from 'node:path';

/** `takeout-20240115T101010Z-001.zip` → stamp and part number (Google numbers the parts of one export 001, 002…). */
export function partName(path: string): { stamp: string; part: number; digits: number } | undefined {
  const m = /^takeout-(.+)-(\d{3,})\.zip$/i.exec(basename(path));
  return m ? { stamp: m[1], part: Number(m[2]), digits: m[2].length } : undefined;
}

/**
 * The parts of the file's export that are not beside it: every number below the highest
 * part found in its folder that has no file. (A missing last part cannot be seen: Takeout
 * writes no part count into the archives.)
 */
export async function missingParts(path: string): Promise<{ stamp: string; missing: string[]; found: string[] } | undefined> {
  const me = partName(path);
  if (!me) return undefined;
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  const parts = new Set(names.map((n) => partName(n)).filter((p) => p?.stamp === me.stamp).map((p) => p!.part));
  parts.add(me.part);
  const max = Math.max(...parts);
  const pad = (n: number) => String(n).padStart(me.digits, '0');
  const missing: string[] = [];
  for (let n = 1; n <= max; n++) if (!parts.has(n)) missing.push(pad(n));
  return missing.length ? { stamp: me.stamp, missing, found: [...parts].sort((a, b) => a - b).map(pad) } : undefined;
}
