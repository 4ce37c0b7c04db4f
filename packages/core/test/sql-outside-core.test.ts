import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { findSql, sqlOutsideCore } from '../scripts/sql-outside-core.mjs';

type Finding = { line: number; text: string };
const find = (source: string): Finding[] => findSql('sample.ts', source);

describe('SQL lives in core only', () => {
  it('finds no SQL string or query builder in the runner, testkit or bench', () => {
    expect(sqlOutsideCore()).toEqual([]);
  });

  it('recognises the SQL those packages used to hold', () => {
    const samples = [
      "s.query('SELECT started_at FROM bronze_runs WHERE source = $1 ORDER BY started_at DESC LIMIT 1', [name])",
      's.query(`SELECT stream, count(*)::int AS n FROM bronze_${r.source} WHERE pipeline_run_id = $1 GROUP BY 1, 2`)',
      'admin.query(`CREATE DATABASE ${name}`)',
      'c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)',
      "s.query<{ server_version: string }>('SHOW server_version')",
      's.query(`INSERT INTO ${t}_latest (stream, raw_id) SELECT DISTINCT ON (stream) stream, raw_id FROM ${t}`)',
      'const stage = `COPY bench_stage (${columns}) FROM STDIN`',
      's.query(`VACUUM (ANALYZE) bronze_${source}`)',
      "s.query(`COMMENT ON TABLE bronze_toggl IS 'loaded'`)",
      's.query(`ALTER TABLE ${table} ATTACH PARTITION ${part} FOR VALUES FROM (1) TO (2)`)',
      "s.query(`UPDATE bronze_runs SET status = 'abandoned' WHERE id = $1`)",
      'c.query(`EXPLAIN (ANALYZE, BUFFERS) ${slowest.sql}`)',
      "db.kysely.selectFrom('bronze_runs').selectAll().execute()",
      "c.query('select 1 from pg_database where datname = $1')",
    ];
    for (const sample of samples) expect(find(sample), sample).not.toEqual([]);
  });

  it('leaves prose about SQL and comments alone', () => {
    const prose = [
      "log('raw COPY into a fresh bronze table with the same partitions and indexes')",
      "log('comparison: superset by COPY into a stage table + INSERT … ON CONFLICT DO NOTHING')",
      "const label = `EXPLAIN (ANALYZE, BUFFERS) of the slowest (${f.slowest}):`",
      "const note = 'load: 12 s (VACUUM ANALYZE included)'",
      '// SELECT * FROM bronze_runs in a comment is documentation',
      "throw new ConfigError('select a source from the list')",
    ];
    for (const sample of prose) expect(find(sample), sample).toEqual([]);
  });
});
