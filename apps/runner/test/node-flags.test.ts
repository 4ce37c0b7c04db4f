import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_DIR } from './cli-helpers.js';

// `pnpm bronze` and the Docker image start node with a smaller young generation (peak RSS of
// a 1M-record ingest ~186 → ~150 MB: README, benchmark); the bench reads the flags from the
// script, so one of the two drifting away would go unmeasured.
const scriptFlags = () => {
  const script = (JSON.parse(readFileSync(join(REPO_DIR, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.bronze;
  return script.split(/\s+/).filter((w) => w.startsWith('--'));
};

describe('the Node flags the CLI starts with', () => {
  it('are the same for `pnpm bronze` and the Docker image, and bound the young generation', () => {
    const entrypoint = /^ENTRYPOINT (\[.*\])$/m.exec(readFileSync(join(REPO_DIR, 'Dockerfile'), 'utf8'))?.[1];
    expect(entrypoint, 'Dockerfile: ENTRYPOINT in exec form').toBeDefined();
    const words = JSON.parse(entrypoint!) as string[];
    expect(words[0]).toBe('node');
    expect(words.filter((w) => w.startsWith('--'))).toEqual(scriptFlags());
    expect(scriptFlags()).toContainEqual(expect.stringMatching(/^--max-semi-space-size=\d+$/));
  });
});
