import { Readable } from 'node:stream';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SourceContext } from '@bronze/core';
import { describe, expect, it } from 'vitest';
import { exportEntryRows } from '../../src/export/read-export.js';

const CHUNK = Buffer.alloc(64 * 1024, 0x50);
const CHUNKS = 2_000; // 125 MiB: the copy of a large uploaded-files part

describe('a zip inside the export, copied to a temporary file', () => {
  it('stops copying when the run is stopped, and removes the temporary file', async () => {
    // A private temporary folder: other test files copy nested zips meanwhile.
    const privateTmp = await mkdtemp(join(tmpdir(), 'garmin-nested-test-'));
    const savedTmp = process.env.TMPDIR;
    process.env.TMPDIR = privateTmp;
    const controller = new AbortController();
    let pulled = 0;
    const entry = {
      path: 'DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip',
      open: async () =>
        Readable.from(
          (function* () {
            for (; pulled < CHUNKS; ) {
              pulled++;
              // Ctrl-C while the part is being copied, a few chunks in.
              if (pulled === 3) controller.abort();
              yield CHUNK;
            }
          })(),
        ),
    };
    // Only the signal is used before the copy ends; the rest would be needed after it.
    const ctx = { signal: controller.signal } as SourceContext;
    const read = async () => {
      for await (const _row of exportEntryRows(entry, entry.path, ctx, 0)) void _row;
    };
    try {
      await expect(read()).rejects.toMatchObject({ name: 'AbortError' });
      // The stream may have read ahead by its buffer, never through the part.
      expect(pulled).toBeLessThan(100);
      expect(await readdir(privateTmp)).toEqual([]);
    } finally {
      process.env.TMPDIR = savedTmp;
      if (savedTmp === undefined) delete process.env.TMPDIR;
      await rm(privateTmp, { recursive: true, force: true });
    }
  });
});
