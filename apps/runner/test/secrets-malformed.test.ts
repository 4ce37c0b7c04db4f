import { describe, expect, it } from 'vitest';
import { MANUAL_CONFIG, tempProject } from './helpers.js';
import { bronze, waitFor } from './process-helpers.js';

const PASSWORD = 'Pw-malformed-5b19e3';
const BASE_PASSWORD = 'Pw-baseurl-0a77c2';
// A bad port and an unclosed "[": URL parsers refuse both, so the password cannot be found by parsing.
const MALFORMED = [`postgres://me:${PASSWORD}@localhost:99999/db`, `postgres://me:${PASSWORD}@[::1/db`];

describe('secrets in malformed or unusual URLs stay secret', () => {
  for (const url of MALFORMED) {
    it(`bronze status and bronze serve never show the password of ${url.replace(PASSWORD, '…')}`, async () => {
      const { root } = tempProject(MANUAL_CONFIG('0 0 1 1 *', 'missedRuns: skip'));
      const status = bronze(['status', '--verbose'], { BRONZE_HOME: root, DATABASE_URL: url, LOG_LEVEL: 'debug' });
      expect(await status.exit).not.toBe(0);
      expect(status.stderr()).toMatch(/postgres:\/\/me:\*\*\*@/);
      expect(status.stdout() + status.stderr()).not.toContain(PASSWORD);

      const serve = bronze(['serve', '--port', '0'], { BRONZE_HOME: root, DATABASE_URL: url, LOG_LEVEL: 'debug' });
      try {
        await waitFor(() => /listening on http/.test(serve.stdout()) || serve.child.exitCode !== null, 'serve to listen', 240_000);
        const address = /listening on (http:\/\/[^ ]+) /.exec(serve.stdout())?.[1];
        expect(address, serve.stderr()).toBeDefined();
        const res = await fetch(`${address}/health`);
        const text = await res.text();
        expect(res.status).toBe(503);
        expect(text).toContain('database unreachable');
        expect(text).not.toContain(PASSWORD);
      } finally {
        serve.child.kill('SIGTERM');
        await serve.exit;
      }
      expect(serve.stdout() + serve.stderr()).not.toContain(PASSWORD);
    }, 300_000);
  }

  it('credentials in a <SOURCE>_BASE_URL never reach the logs', async () => {
    const { root } = tempProject('sources: {}\n');
    const run = bronze(['ingest', 'toggl', '--verbose'], {
      BRONZE_HOME: root, TOGGL_API_TOKEN: 'tok-base-url-test', TOGGL_BASE_URL: `http://proxyuser:${BASE_PASSWORD}@127.0.0.1:1/`,
      LOG_LEVEL: 'debug', BRONZE_HTTP_TIMEOUT_MS: '2000',
    });
    expect(await run.exit).not.toBe(0);
    const all = run.stdout() + run.stderr();
    expect(all).toMatch(/toggl/);
    expect(all).not.toContain(BASE_PASSWORD);
  }, 300_000);
});
