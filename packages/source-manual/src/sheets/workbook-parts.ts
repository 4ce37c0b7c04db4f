import { FileImportError, type ImportedFile, type SourceContext, type ZipEntry } from '@bronze/core';
import { xmlEvents, type XmlEvent, type XmlNames } from './xml-events.js';

/**
 * The parts of a workbook, each read by a pass over core's zip reader (its central
 * directory: any part in any order, nothing extracted to disk, core's limits against zip
 * bombs). Parts are found by name case-insensitively, as OPC compares part names.
 */
export class WorkbookParts {
  private names?: Set<string>;
  constructor(
    private readonly file: ImportedFile,
    private readonly ctx: SourceContext,
    /** What the file should be, for the error on a missing part: `an Excel workbook`. */
    private readonly kind = 'an Excel workbook',
    private readonly xmlNames: XmlNames = 'local',
  ) {}

  async has(part: string): Promise<boolean> {
    if (!this.names) {
      const names = new Set<string>();
      for await (const entry of this.ctx.files.zipEntries(this.file)) names.add(entry.name.toLowerCase());
      this.names = names;
    }
    return this.names.has(part.toLowerCase());
  }

  /** The part's XML events, streamed; a missing part fails the file naming it and `why` it is needed. */
  async *events(part: string, why: string, limits?: Parameters<ZipEntry['open']>[0]): AsyncIterable<XmlEvent[]> {
    for await (const entry of this.ctx.files.zipEntries(this.file)) {
      if (entry.name.toLowerCase() !== part.toLowerCase()) continue;
      yield* xmlEvents(await entry.open(limits), this.file.path, entry.name, this.xmlNames);
      return;
    }
    throw new FileImportError(this.file.path, `${part} is missing (${why}); the workbook is damaged, or not ${this.kind}`);
  }

  /** A small part's events, whole (workbook.xml, .rels: a few KB). */
  async small(part: string, why: string): Promise<XmlEvent[]> {
    const all: XmlEvent[] = [];
    for await (const batch of this.events(part, why, { maxEntryBytes: 16 * 1024 * 1024 })) all.push(...batch);
    return all;
  }
}
