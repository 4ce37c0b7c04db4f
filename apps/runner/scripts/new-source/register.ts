import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SourceNames } from './names.js';

export class ScaffoldError extends Error {}

const REGISTRY = 'apps/runner/src/sources.ts';
const RUNNER_PACKAGE = 'apps/runner/package.json';
const SOURCE_IMPORT = /^import (\w+) from '(@bronze\/source-[a-z0-9-]+)';$/;
const REGISTRY_START = /^export const sources\b.*= \{$/;
const REGISTRY_ENTRY = /^ {2}(?:'([a-z0-9-]+)'|([A-Za-z0-9]+))(?:: (\w+))?,$/;

/** The runner's registry and package.json with the new source added, or why they cannot be. */
export function registration(root: string, n: SourceNames): { files: Record<string, string> } {
  const text = readFileSync(join(root, REGISTRY), 'utf8');
  const lines = text.split('\n');
  const imports = lines.flatMap((l, i) => (SOURCE_IMPORT.test(l) ? [{ i, name: SOURCE_IMPORT.exec(l)![1], pkg: SOURCE_IMPORT.exec(l)![2] }] : []));
  const start = lines.findIndex((l) => REGISTRY_START.test(l));
  const end = start < 0 ? -1 : lines.findIndex((l, i) => i > start && l === '};');
  if (!imports.length || start < 0 || end < 0) {
    throw new ScaffoldError(`${REGISTRY} is not shaped as expected (source imports, then \`export const sources … = {\` … \`};\`): register the source by hand`);
  }
  const entries = lines.slice(start + 1, end).map((l, k) => {
    const m = REGISTRY_ENTRY.exec(l);
    if (!m) throw new ScaffoldError(`${REGISTRY}:${start + k + 2}: unexpected line in the registry: ${l.trim()}`);
    return { i: start + 1 + k, key: m[1] ?? m[2] };
  });
  if (entries.some((e) => e.key === n.cli) || imports.some((x) => x.pkg === n.pkg)) {
    throw new ScaffoldError(`source '${n.cli}' is already registered in ${REGISTRY}: pick another name`);
  }
  if (text.match(new RegExp(`\\b${n.ident}\\b`))) throw new ScaffoldError(`${REGISTRY} already uses the name ${n.ident}: register the source by hand`);

  // Inserted in alphabetical order, the entry first so that the import's index stays valid.
  const entry = n.cli === n.ident ? `  ${n.ident},` : `  '${n.cli}': ${n.ident},`;
  const entryAt = entries.find((e) => e.key > n.cli)?.i ?? end;
  lines.splice(entryAt, 0, entry);
  const importAt = imports.find((x) => x.pkg > n.pkg)?.i ?? imports.at(-1)!.i + 1;
  lines.splice(importAt, 0, `import ${n.ident} from '${n.pkg}';`);

  const pkg = JSON.parse(readFileSync(join(root, RUNNER_PACKAGE), 'utf8')) as { dependencies?: Record<string, string> };
  const deps = { ...pkg.dependencies, [n.pkg]: 'workspace:*' };
  pkg.dependencies = Object.fromEntries(Object.entries(deps).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { files: { [REGISTRY]: lines.join('\n'), [RUNNER_PACKAGE]: `${JSON.stringify(pkg, null, 2)}\n` } };
}

export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) writeFileSync(join(root, path), text);
}
