import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { testEngines } from '@bronze/testkit';

// docs/file-imports.md tells maintainers to run this script: small rounds per engine and source keep
// it working (it runs the built CLI, which turbo builds before these tests).
const SCRIPT = fileURLToPath(new URL('../scripts/kill-hunt.mjs', import.meta.url));

function hunt(args: string[]): Promise<{ code: number | null; out: string }> {
  const server = process.env.TEST_DATABASE_URL ? { DATABASE_URL: process.env.TEST_DATABASE_URL } : {};
  const child = spawn(process.execPath, [SCRIPT, ...args], { env: { ...process.env, ...server }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out })));
}

for (const engine of testEngines()) {
  describe(`apps/runner/scripts/kill-hunt.mjs [${engine}]`, () => {
    it('kills imports at random moments, re-runs them, and finds the table of one clean run', async () => {
      const { code, out } = await hunt(['--engine', engine, '--rounds', '2', '--records', '3000']);
      expect(out).toMatch(/^clean: first import [\d.]+ s, later export [\d.]+ s; \{"rows":3728,"latest":3300,/m);
      expect(out).toMatch(/^ok +round 0 \(first\): at \d+ ms/m);
      expect(out).toMatch(/^ok +round 1 \(later\): at \d+ ms/m);
      expect(out).toContain(`0 mismatch(es) in 2 rounds (${engine}, manual, SIGKILL via node, 3000 records)`);
      expect(code, out).toBe(0);
    }, 300_000);

    // Toggl's runs are paced by its rate limit (~1 request a second): one round of 200 entries.
    it('kills a Toggl backfill and a later `since` read against a generated account, and finds one clean run', async () => {
      const { code, out } = await hunt(['--engine', engine, '--source', 'toggl', '--rounds', '1', '--records', '200']);
      // time_entries 200 + 42 changed (29 renamed, 16 deleted, 3 both) + 20 new; 200 report rows; 7 reference rows.
      expect(out).toMatch(/^clean: first import [\d.]+ s, later export [\d.]+ s; \{"rows":469,"latest":427,/m);
      expect(out).toMatch(/^ok +round 0 \(first\): at \d+ ms/m);
      expect(out).toContain(`0 mismatch(es) in 1 rounds (${engine}, toggl, SIGKILL via node, 200 records)`);
      expect(code, out).toBe(0);
    }, 300_000);
  });
}
