import type { Session } from '../db/session.js';

/** What an archive holds of one table: enough to recreate and refill it anywhere. */
export interface TableInfo {
  name: string;
  /** `source`: bronze_<source> (partitioned); `latest`: its idempotence index; `meta`: anything else bronze owns. */
  kind: 'source' | 'latest' | 'meta';
  /** The source name for `source` and `latest` tables. */
  source?: string;
  /** Stored columns in table order (generated columns are recomputed on import). */
  columns: string[];
  /** Primary-key columns; empty when the table has none. */
  key: string[];
  /** Month partitions (`YYYY-MM`) of a source table. */
  months?: string[];
}

/**
 * Every table bronze owns, parents before the tables whose foreign keys point at them:
 * `bronze_*` tables of the public schema that are not partitions. `bronze_migrations` is
 * left out: the archive records the schema version and the target migrates itself.
 */
export async function listBronzeTables(s: Session): Promise<TableInfo[]> {
  const rels = await s.query<{ name: string; relkind: string }>(
    `SELECT c.relname AS name, c.relkind::text AS relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND c.relname LIKE 'bronze\\_%' AND c.relname <> 'bronze_migrations'
      ORDER BY c.relname COLLATE "C"`,
  );
  const names = new Set(rels.map((r) => r.name));
  const tables: TableInfo[] = [];
  for (const r of rels) {
    const columns = await s.query<{ name: string }>(
      `SELECT attname AS name FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum`,
      [quoteIdent(r.name)],
    );
    const key = await s.query<{ name: string }>(
      `SELECT a.attname AS name FROM pg_index i JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
        WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY k.ord`,
      [quoteIdent(r.name)],
    );
    const info: TableInfo = { name: r.name, kind: 'meta', columns: columns.map((c) => c.name), key: key.map((k) => k.name) };
    if (r.relkind === 'p' && names.has(`${r.name}_latest`)) {
      info.kind = 'source';
      info.source = r.name.slice('bronze_'.length);
      info.months = await monthPartitions(s, r.name);
    } else if (r.name.endsWith('_latest')) {
      const parent = r.name.slice(0, -'_latest'.length);
      if (rels.some((p) => p.name === parent && p.relkind === 'p')) {
        info.kind = 'latest';
        info.source = parent.slice('bronze_'.length);
      }
    }
    tables.push(info);
  }
  return orderByForeignKeys(s, tables);
}

/** `YYYY-MM` of each month partition, from the names bronze_ensure_month_partition gives them. */
export async function monthPartitions(s: Session, table: string): Promise<string[]> {
  const rows = await s.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = $1::regclass`,
    [quoteIdent(table)],
  );
  const re = new RegExp(`^${table}_(\\d{4})_(\\d{2})$`);
  return rows
    .map((r) => re.exec(r.name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => `${m[1]}-${m[2]}`)
    .sort();
}

async function orderByForeignKeys(s: Session, tables: TableInfo[]): Promise<TableInfo[]> {
  const edges = await s.query<{ child: string; parent: string }>(
    `SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent FROM pg_constraint c WHERE c.contype = 'f'`,
  );
  const byName = new Map(tables.map((t) => [t.name, t]));
  const done = new Set<string>();
  const out: TableInfo[] = [];
  const visit = (t: TableInfo, path: Set<string>) => {
    if (done.has(t.name) || path.has(t.name)) return;
    path.add(t.name);
    for (const e of edges) {
      const parent = byName.get(e.parent.replace(/"/g, ''));
      if (e.child.replace(/"/g, '') === t.name && parent && parent.name !== t.name) visit(parent, path);
    }
    done.add(t.name);
    out.push(t);
  };
  for (const t of tables) visit(t, new Set());
  return out;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * A deterministic, collation-independent row order, so the same rows give the same bytes
 * on every server: by id for source tables, by primary key, else by every column, as text
 * compared byte-wise.
 */
export function orderClause(t: TableInfo): string {
  if (t.kind === 'source') return 'id, lineage_id';
  const cols = t.key.length ? t.key : t.columns;
  return cols.map((c) => `${quoteIdent(c)}::text COLLATE "C"`).join(', ');
}

export function copyStatement(table: string, columns: string[]): string {
  return `COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) FROM STDIN`;
}
