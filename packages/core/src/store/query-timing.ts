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

/**
 * The query, its result consumed on the server: the row count and the bytes of the rows'
 * text, as an `INSERT … SELECT` into a silver table would read them. The transfer to a
 * client is not what is measured.
 */
export function consumedOnServer(sql: string): string {
  return `SELECT count(*) AS n, coalesce(sum(octet_length(q::text)), 0) AS bytes FROM (\n${statementBody(sql)}\n) q`;
}

/** EXPLAIN (ANALYZE, BUFFERS) of the query with these parameters: the plan's text. */
export async function explainAnalyze(client: QueryClient, sql: string, params: unknown[]): Promise<string> {
  const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${statementBody(sql)}`, params);
  return (rows as Record<string, string>[]).map((r) => r['QUERY PLAN']).join('\n');
}
