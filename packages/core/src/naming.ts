import type { Source } from './contract.js';

/**
 * The one naming rule: a source's `name` is its table's suffix (`apple_health` →
 * bronze_apple_health); everything a user types or reads — CLI arguments, bronze.config.yaml
 * keys, `sources`, `status`, `runs`, /health and metrics labels — uses its CLI name, the
 * same with dashes (`apple-health`). Both spellings are accepted as input.
 */
export const cliName = (s: Source | string): string => (typeof s === 'string' ? s : s.name).replace(/_/g, '-');

/** The table name's spelling of a CLI name (`apple-health` → `apple_health`). */
export const tableName = (cli: string): string => cli.replace(/-/g, '_');
