import type { DateWindow } from './types.js';

/** [from, to) cut into consecutive windows of stepMs (the last one may be shorter). */
export function dateWindows(from: Date, to: Date, stepMs: number): DateWindow[] {
  if (!(stepMs > 0)) throw new Error('dateWindows: stepMs must be > 0');
  const out: DateWindow[] = [];
  for (let t = from.getTime(); t < to.getTime(); t += stepMs) {
    out.push({ start: new Date(t), end: new Date(Math.min(t + stepMs, to.getTime())) });
  }
  return out;
}

export const DAY_MS = 86_400_000;
