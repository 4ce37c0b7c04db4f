/**
 * Running a read (one of sql/queries/*.sql, or a silver layer's own) the way a benchmark
 * measures it: on the server, without shipping the rows to the client.
 */

/** A pg.Client, or anything answering queries the same way. */
export interface QueryClient {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** Drops a statement's trailing semicolon and comments, so it can be nested. */
function statementBody(sql: string): string {
  return sql
    .split('\n')
    .filter((line) => !/^\s*--/.test(line))
    .join('\n')
    .trim()
    .replace(/;\s*$/, '');
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * The names of the columns the query returns, in order: one row of nulls from a left join
 * on the query cut to no rows, so any client that returns rows as objects can tell them
 * (two columns of the same name come back as one).
 */
export async function resultColumns(client: QueryClient, sql: string, params: unknown[]): Promise<string[]> {
  const none = `SELECT * FROM (\n${statementBody(sql)}\n) q0 LIMIT 0`;
  const { rows } = await client.query(`SELECT q.* FROM (SELECT 1) one LEFT JOIN (${none}) q ON true`, params);
  return Object.keys(rows[0] as Record<string, unknown>);
}

/**
 * The query, its result consumed on the server: the row count and the bytes of its columns'
 * text, each through its type's output function (jsonb_out for raw_data), which is what the
 * server does to send a text-format result to a client. The transfer itself is not measured.
 * Not `q::text`: a row written as one record literal also quotes the JSON inside it (every
 * `"` doubled), work no client asks for and 40% of the latest-of-month query's time
 * (docs/benchmark-history.md).
 */
export function consumedOnServer(sql: string, columns: string[]): string {
  const bytes = columns.map((c) => `coalesce(octet_length(q.${quoteIdent(c)}::text), 0)`).join(' + ') || '0';
  return `SELECT count(*) AS n, coalesce(sum(${bytes}), 0) AS bytes FROM (\n${statementBody(sql)}\n) q`;
}

/** EXPLAIN (ANALYZE, BUFFERS) of the query with these parameters: the plan's text. */
export async function explainAnalyze(client: QueryClient, sql: string, params: unknown[]): Promise<string> {
  const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${statementBody(sql)}`, params);
  return (rows as Record<string, string>[]).map((r) => r['QUERY PLAN']).join('\n');
}

/** No parallel plans in this session: for many concurrent readers on few cores (sql/README.md). */
export async function turnOffParallelPlans(client: QueryClient): Promise<void> {
  await client.query('SET max_parallel_workers_per_gather = 0');
}

/** The session's max_parallel_workers_per_gather: the workers one query's plan may start. */
export async function parallelWorkersPerGather(client: QueryClient): Promise<number> {
  const { rows } = await client.query('SHOW max_parallel_workers_per_gather');
  return Number((rows[0] as { max_parallel_workers_per_gather: string }).max_parallel_workers_per_gather);
}
