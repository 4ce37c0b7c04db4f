import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { pathInExportFolder } from '../src/export-folder.js';
import { tempDir } from './helpers/export-zip.js';

afterEach(() => vi.useRealTimers());

// `bronze serve` walks a configured folder run after run in one process: a folder that becomes
// an export (the user unzips one into it), or stops being one, is seen as such on a later run.
it('an export root found or missed is looked up again after a few seconds', () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  const dir = join(tempDir(), 'later-export');
  mkdirSync(join(dir, 'media'), { recursive: true });
  const photo = join(dir, 'media', 'a.jpg');
  writeFileSync(photo, 'x');
  expect(pathInExportFolder(photo)).toBeUndefined();
  writeFileSync(join(dir, 'activities.csv'), 'Activity ID\n');
  vi.setSystemTime(Date.now() + 6_000);
  expect(pathInExportFolder(photo)).toBe('media/a.jpg');
  rmSync(join(dir, 'activities.csv'));
  vi.setSystemTime(Date.now() + 6_000);
  expect(pathInExportFolder(photo)).toBeUndefined();
});
