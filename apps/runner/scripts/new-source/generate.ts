import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ingestBin } from './ingest-bin.js';
import { sourceNames, type SourceNames } from './names.js';
import { packageJson } from './package-json.js';
import { registration, ScaffoldError, writeFiles } from './register.js';

export { ScaffoldError } from './register.js';
export type SourceKind = 'api' | 'files';

const TEMPLATES = fileURLToPath(new URL('./templates/', import.meta.url));

export interface Generated {
  names: SourceNames;
  /** The package folder, relative to the root: packages/source-<name>. */
  dir: string;
  /** The files written below it, relative to it, sorted. */
  files: string[];
  /** Files outside it that were edited (the runner's registry and package.json). */
  registered: string[];
}

/** Every file below `dir`, relative to it. */
function walk(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name), base) : [relative(base, join(dir, e.name))]));
}

/** `{{key}}` → values[key]; an unknown key is a bug of the template, not a blank. */
export function render(text: string, values: Record<string, string>, file: string): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    if (!(key in values)) throw new Error(`template ${file}: unknown placeholder {{${key}}}`);
    return values[key];
  });
}

/**
 * Writes packages/source-<name>/ from the templates (common + source-api or source-files) and
 * registers it with the runner. Everything is checked before anything is written: an invalid
 * or taken name changes nothing.
 */
export function generateSource(o: { root: string; name: string; kind: SourceKind }): Generated {
  const names = sourceNames(o.name);
  if ('error' in names) throw new ScaffoldError(names.error);
  const dir = join('packages', names.dir);
  if (existsSync(join(o.root, dir))) throw new ScaffoldError(`${dir} already exists: the source name '${names.cli}' is taken (pick another, or remove the folder first)`);
  const registered = registration(o.root, names);

  const bin = ingestBin(names);
  const values: Record<string, string> = { ...names };
  const files: Record<string, string> = { 'package.json': packageJson(names, o.kind), ...bin.files };
  for (const set of ['common', `source-${o.kind}`]) {
    for (const file of walk(join(TEMPLATES, set))) {
      files[file.replace(/\.tmpl$/, '')] = render(readFileSync(join(TEMPLATES, set, file), 'utf8'), values, `${set}/${file}`);
    }
  }
  for (const [file, text] of Object.entries(files)) {
    const path = join(o.root, dir, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  writeFiles(o.root, registered.files);
  return { names, dir, files: Object.keys(files).sort(), registered: Object.keys(registered.files) };
}
