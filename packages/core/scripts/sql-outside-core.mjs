// Every query bronze runs lives in @bronze/core (src/store/, loader/, archive/, retention/):
// the runner, testkit and bench call named functions. This finds SQL written anywhere else:
// string and template literals that read as SQL statements, and Kysely query builders.
// `node scripts/sql-outside-core.mjs` exits 1 and lists them; test/sql-outside-core.test.ts runs it.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('../../../', import.meta.url));
export const CHECKED_DIRS = ['apps/runner/src', 'packages/testkit/src', 'packages/bench/src'];

// Uppercase keywords, as bronze writes SQL; prose about SQL ("raw COPY into a table",
// "INSERT … ON CONFLICT", "EXPLAIN (ANALYZE, BUFFERS) of the slowest") does not match.
const SQL_PATTERNS = [
  /^\s*(SELECT|INSERT\s+INTO|DELETE\s+FROM|TRUNCATE|VACUUM|ANALYZE\s+[\w"$]|COMMENT\s+ON|SHOW\s+\w|BEGIN\b|COMMIT\b|ROLLBACK\b)/,
  /^\s*(CREATE|DROP|ALTER)\s+(UNIQUE\s+)?(TABLE|TEMP|TEMPORARY|UNLOGGED|DATABASE|INDEX|SCHEMA|VIEW|FUNCTION|SEQUENCE|EXTENSION|TYPE|ROLE)\b/,
  /^\s*COPY\s+[\w"$.{}]+\s*(\(|FROM\b|TO\b)/,
  /^\s*WITH\s+(RECURSIVE\s+)?\w+\s+AS\s*\(/,
  /^\s*UPDATE\s+[\w"$.{}]+\s+SET\b/,
  /^\s*EXPLAIN\s*(\([^)]*\)\s*)?(SELECT|INSERT|UPDATE|DELETE|WITH|\$\{)/,
  /\bSELECT\b[\s\S]+\bFROM\b/,
  /\b(INSERT\s+INTO|DELETE\s+FROM)\s+[\w"$.{}]+/,
  /^\s*select\s[\s\S]+\sfrom\s+[\w"$.{}]+(\s+(where|group|order|limit|join|left|inner|as)\b|\s*\)|\s*;?\s*$)/i,
];
const BUILDER_CALLS = new Set(['kysely', 'selectFrom', 'insertInto', 'updateTable', 'deleteFrom', 'replaceInto', 'mergeInto']);

const looksLikeSql = (text) => SQL_PATTERNS.some((re) => re.test(text));

/** Findings in one file's text: `{ line, text }` per SQL literal or query-builder use. */
export function findSql(fileName, source) {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out = [];
  const report = (node, text) => out.push({ line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, text: text.replace(/\s+/g, ' ').slice(0, 100) });
  const visit = (node) => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      if (looksLikeSql(node.text)) report(node, node.text);
    } else if (ts.isTemplateExpression(node)) {
      const text = node.head.text + node.templateSpans.map((s) => '${x}' + s.literal.text).join('');
      if (looksLikeSql(text)) report(node, text);
    } else if (ts.isPropertyAccessExpression(node) && BUILDER_CALLS.has(node.name.text)) {
      report(node, node.getText(sf));
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

function* tsFiles(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* tsFiles(p);
    else if (/\.(ts|mts|cts)$/.test(e.name) && !e.name.endsWith('.d.ts')) yield p;
  }
}

/** Findings in the checked directories, as `path:line: text`. */
export function sqlOutsideCore(dirs = CHECKED_DIRS) {
  const out = [];
  for (const dir of dirs) {
    for (const file of tsFiles(join(root, dir))) {
      for (const f of findSql(file, readFileSync(file, 'utf8'))) out.push(`${relative(root, file)}:${f.line}: ${f.text}`);
    }
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const found = sqlOutsideCore();
  if (found.length) {
    console.error(`SQL outside @bronze/core (move it behind a named function in packages/core/src/store/):\n${found.join('\n')}`);
    process.exit(1);
  }
  console.log(`no SQL in ${CHECKED_DIRS.join(', ')}`);
}
