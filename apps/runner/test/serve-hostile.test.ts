import { mkdirSync, symlinkSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { silentLogger, loadSettings } from '@bronze/core';
import { countRows, describeEachEngine } from '@bronze/testkit';
import { afterEach, expect, it } from 'vitest';
import { startServe, type ServeHandle } from '../src/serve/serve.js';
import { get, MANUAL_CONFIG, tempProject } from './helpers.js';

/** Sends raw bytes and returns what the server answered before closing. */
function rawRequest(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => socket.write(bytes));
    let answer = '';
    socket.on('data', (d) => (answer += d));
    socket.on('end', () => resolve(answer));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

describeEachEngine('bronze serve on hostile input', (db) => {
  let serve: ServeHandle | undefined;
  afterEach(async () => {
    await serve?.stop();
    serve = undefined;
  });

  it('answers 400 to a malformed request line and stays up', async () => {
    const project = tempProject(MANUAL_CONFIG('0 0 1 1 *', 'missedRuns: skip'));
    serve = await startServe({ config: project.config, database: db(), port: 0, settings: loadSettings({ env: project.env }), logger: silentLogger() });
    const port = serve.http!.address.port;
    const bad = await rawRequest(port, 'GET http://[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(bad).toMatch(/^HTTP\/1\.1 400 /);
    const garbage = await rawRequest(port, '\x00\x01 not http at all\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1\.1 400 /);
    expect((await get(`${serve.http!.url}/health`)).status).toBe(200);
  });

  it('skips and reports a dangling symlink or vanished inbox file; the schedule goes on', async () => {
    const project = tempProject(MANUAL_CONFIG('0 0 1 1 *', 'missedRuns: catch-up'));
    const inbox = join(project.root, 'inbox');
    symlinkSync(join(project.root, 'gone.csv'), join(inbox, 'a-dangling.csv'));
    // (A file removed between listing and stat fails the same way, with ENOENT.)
    mkdirSync(join(inbox, 'c-folder'));
    symlinkSync(join(project.root, 'nowhere'), join(inbox, 'c-folder', 'x'));
    serve = await startServe({ config: project.config, database: db(), port: 0, settings: loadSettings({ env: project.env }), logger: silentLogger() });
    await serve.caughtUp; // catch-up runs the never-run source once: it must settle
    const [state] = serve.scheduler.states();
    expect(state.running).toBe(false);
    expect(state.lastOutcome).toMatchObject({ result: 'succeeded' });
    expect(state.lastOutcome!.skippedFiles).toEqual([expect.stringMatching(/a-dangling\.csv: cannot read \(ENOENT/)]);
    expect(await countRows(db(), 'manual')).toBe(3);
    // The next tick is not skipped as "still running".
    const again = await serve.scheduler.runNow('manual');
    expect(again.result).toBe('succeeded');
    const health = JSON.parse((await get(`${serve.http!.url}/health`)).text);
    expect(health.sources[0].running).toBe(false);
  });
});
