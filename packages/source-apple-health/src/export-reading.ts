import { FileImportError, type Emitted, type Logger } from '@bronze/core';
import type { XmlElement } from './xml/elements.js';
import { DamageKept } from './xml/damage.js';

/** What one import notices across the parts of an export. */
export interface ExportReading {
  logger: Logger;
  /** Parts not stored whole (over a size limit): the file fails naming them once everything else is stored. */
  refused: string[];
  /** Parts whose reading broke and of which not every byte is stored: the file fails naming them at the end. */
  damaged: string[];
  /** Parts whose reading broke, every byte of them stored (DamageKept): named in the summary; the import is complete. */
  kept: string[];
  /** The run summary's notes (ctx.note). */
  note?: (text: string) => void;
}

export function problemMeta(el: XmlElement, label: string, reading: ExportReading): { invalid?: string } {
  if (!el.problem) return {};
  if (el.oversized) reading.refused.push(`${label} line ${el.line} (${el.name})`);
  return { invalid: `${label}: ${el.problem}` };
}


/**
 * One part of the export, read so that its damage does not stop the others: its rows
 * up to the damage are kept, the damage is logged and remembered, and reading goes on
 * with the next part. Other errors (a bug, an abort) still stop the file.
 */
export async function* isolatingDamage(part: AsyncIterable<Emitted>, reading: ExportReading): AsyncIterable<Emitted> {
  try {
    yield* part;
  } catch (err) {
    recordDamage(err, reading);
  }
}

/**
 * What isolatingDamage does with a part's error, for a caller that catches it itself
 * (export.xml's millions of elements pass no extra generator layer): a damage is logged and
 * remembered; anything else is thrown on.
 */
export function recordDamage(err: unknown, reading: ExportReading): void {
  if (err instanceof DamageKept) {
    reading.logger.warn(err.message);
    reading.kept.push(err.message);
    return;
  }
  if (!(err instanceof FileImportError)) throw err;
  reading.logger.error(err.message);
  reading.damaged.push(err.message);
}

/** After every part is read: the file fails naming what was damaged or too large, so the next run reads it again. */
export function failIfIncomplete(path: string, reading: ExportReading): void {
  if (reading.kept.length) {
    // Every byte of these is stored: reading the file again would add nothing, run after run.
    reading.note?.(`${reading.kept.length} damaged file(s) of the export, every byte stored (its elements as rows, the text at each damage in invalid rows): ${reading.kept.join('; ')}`);
  }
  const why: string[] = [];
  if (reading.damaged.length) {
    why.push(`${reading.damaged.length} file(s) of the export could not be read whole (what came before each damage is stored; every other file is read): ${reading.damaged.join('; ')}`);
  }
  if (reading.refused.length) {
    const named = `${reading.refused.slice(0, 5).join(', ')}${reading.refused.length > 5 ? ', …' : ''}`;
    why.push(`${reading.refused.length} part(s) too large to store whole, stored as invalid rows without their content: ${named}; everything else is stored`);
  }
  if (why.length) throw new FileImportError(path, why.join('. '));
}
