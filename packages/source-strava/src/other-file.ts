import type { Readable } from 'node:stream';
import { describeFile, emit, type DescribedFile, type Emitted } from '@bronze/core';

/** An entry no other stream reads (a photo, a video, a PDF, messaging.json): path, size, sha256, and its text when UTF-8 ≤ 1 MiB. */
export type OtherFile = DescribedFile;

/** Streams the entry through sha256: every entry lands in a stream, whatever its size. */
export async function readOtherFile(input: Readable, file: string, metadata: Record<string, unknown>): Promise<Emitted<OtherFile>> {
  return emit(await describeFile(input, file), { stream: 'export_other', metadata });
}
