/** Every name a new source goes by, derived from the one the user typed. */
export interface SourceNames {
  /** The source's name in defineSource and its table (bronze_<source>): demo_api. */
  source: string;
  /** The CLI and registry name (a dash for each _): demo-api. */
  cli: string;
  /** The package folder below packages/: source-demo-api. */
  dir: string;
  /** The npm name: @bronze/source-demo-api. */
  pkg: string;
  /** The prefix of its environment variables: DEMO_API (DEMO_API_TOKEN, DEMO_API_BASE_URL). */
  env: string;
  /** A TypeScript identifier: demoApi. */
  ident: string;
  /** The identifier with a capital: DemoApi (DemoApiConfig, configureDemoApi). */
  Ident: string;
}

/** Tables and objects bronze creates itself: a source must not be named into them. */
const META_TABLES = new Set(['runs', 'state', 'files', 'partition', 'partition_move', 'table']);
/** What core appends to bronze_<source> for its own objects (bronze_toggl_latest, bronze_toggl_2024_01). */
const OBJECT_SUFFIX = /_(latest|default|seq|idx|\d{4}_\d{2})$/;

/**
 * The names of a new source, or an error message saying what is wrong with the name. Dashes
 * and underscores are the same separator (`demo-api` and `demo_api` are one source), as in
 * the CLI; core allows [a-z][a-z0-9_]{0,40}.
 */
export function sourceNames(input: string): SourceNames | { error: string } {
  const source = input.trim().replace(/-/g, '_');
  if (!/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/.test(source) || source.length > 41) {
    return { error: `invalid source name ${JSON.stringify(input)}: use lower-case letters, digits and single - or _ between words, starting with a letter, at most 41 characters (e.g. strava, google_takeout)` };
  }
  if (META_TABLES.has(source) || OBJECT_SUFFIX.test(source)) {
    return { error: `invalid source name ${JSON.stringify(input)}: its table bronze_${source} would collide with a table bronze keeps for itself or for another source` };
  }
  const cli = source.replace(/_/g, '-');
  const ident = source.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return { source, cli, dir: `source-${cli}`, pkg: `@bronze/source-${cli}`, env: source.toUpperCase(), ident, Ident: ident[0].toUpperCase() + ident.slice(1) };
}
