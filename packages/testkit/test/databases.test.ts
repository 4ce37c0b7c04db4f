import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { adminClient } from '../src/databases.js';

const base = process.env.TEST_DATABASE_URL;

describe.skipIf(!base)('TEST_DATABASE_URL on PostgreSQL', () => {
  it('creates the database the URL names when the server does not have it yet', async () => {
    const url = new URL(base!);
    const name = `bronze_missing_${randomBytes(4).toString('hex')}`;
    url.pathname = `/${name}`;
    const c = await adminClient(url.toString());
    try {
      const [row] = (await c.query<{ db: string }>('SELECT current_database() AS db')).rows;
      expect(row.db).toBe(name);
    } finally {
      await c.end();
      const drop = new pg.Client({ connectionString: base });
      await drop.connect();
      await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await drop.end();
    }
  });

  it('names the host and port when no server answers there', async () => {
    const url = new URL(base!);
    url.port = '1'; // nothing listens on port 1
    await expect(adminClient(url.toString())).rejects.toThrow(new RegExp(`PostgreSQL at ${url.hostname}:1 is unreachable`));
  });
});
