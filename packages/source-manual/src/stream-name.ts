import { basename } from 'node:path';

/** `My Weights (2024).csv.gz` → `my_weights_2024`: the default stream of a file. */
export function streamNameOf(path: string): string {
  const base = basename(path).replace(/\.gz$/i, '').replace(/\.[^.]+$/, '');
  const snake = base
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!snake) return 'rows';
  return /^[a-z]/.test(snake) ? snake : `f_${snake}`;
}
