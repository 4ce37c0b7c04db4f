import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_DIR } from './cli-helpers.js';

// `pnpm bronze`, the Docker image and the development scripts start node with a smaller young
// generation (peak RSS of a 1M-record ingest ~186 → ~150 MB: README, benchmark). The bench
// reads the flags from the `bronze` script, so any other entry drifting away would go unmeasured.
const scripts = (path: string) => (JSON.parse(readFileSync(join(REPO_DIR, path), 'utf8')) as { scripts: Record<string, string> }).scripts;
const flagsOf = (command: string) => command.split(/\s+/).filter((w) => w.startsWith('--'));
const scriptFlags = () => flagsOf(scripts('package.json').bronze);
// What a development run adds on top: the sources through tsx.
const DEVELOPMENT = ['--conditions=source', '--import'];

describe('the Node flags the CLI starts with', () => {
  it('are the same for `pnpm bronze` and the Docker image, and bound the young generation', () => {
    const entrypoint = /^ENTRYPOINT (\[.*\])$/m.exec(readFileSync(join(REPO_DIR, 'Dockerfile'), 'utf8'))?.[1];
    expect(entrypoint, 'Dockerfile: ENTRYPOINT in exec form').toBeDefined();
    const words = JSON.parse(entrypoint!) as string[];
    expect(words[0]).toBe('node');
    expect(words.filter((w) => w.startsWith('--'))).toEqual(scriptFlags());
    expect(scriptFlags()).toContainEqual(expect.stringMatching(/^--max-semi-space-size=\d+$/));
  });

  it('are those of `pnpm bronze:dev` and of every `pnpm --filter source-<name> ingest`, plus the development ones', () => {
    const commands = { 'bronze:dev': scripts('package.json')['bronze:dev'] } as Record<string, string>;
    for (const dir of readdirSync(join(REPO_DIR, 'packages')).filter((d) => d.startsWith('source-'))) commands[dir] = scripts(`packages/${dir}/package.json`).ingest;
    expect(Object.keys(commands).length).toBeGreaterThan(8);
    const own = Object.fromEntries(Object.entries(commands).map(([name, command]) => [name, flagsOf(command).filter((f) => !DEVELOPMENT.includes(f))]));
    expect(own).toEqual(Object.fromEntries(Object.keys(commands).map((name) => [name, scriptFlags()])));
  });
});
