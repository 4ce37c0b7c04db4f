import { mkdirSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { pathInExportFolder } from '../../src/export/export-folder.js';

afterEach(() => vi.useRealTimers());

// `bronze serve` walks a configured folder run after run in one process: a DI_CONNECT folder
// that appears (an export unzipped there) or goes is seen on a later run.
it('a DI_CONNECT folder found or missed is looked up again after a few seconds', () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  const dir = mkdtempSync(join(tmpdir(), 'garmin-later-'));
  mkdirSync(join(dir, 'unpacked', 'DI-Connect-User'), { recursive: true });
  const profile = join(dir, 'DI_CONNECT', 'DI-Connect-User', 'user_profile.json');
  expect(pathInExportFolder(profile)).toBeUndefined();
  renameSync(join(dir, 'unpacked'), join(dir, 'DI_CONNECT'));
  writeFileSync(profile, '{}');
  vi.setSystemTime(Date.now() + 6_000);
  expect(pathInExportFolder(profile)).toBe('DI_CONNECT/DI-Connect-User/user_profile.json');
});
