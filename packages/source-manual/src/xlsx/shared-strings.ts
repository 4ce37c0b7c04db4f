import { FileImportError } from '@bronze/core';
import { StringItem } from './cell-text.js';
import type { XmlEvent } from '../sheets/xml-events.js';

/**
 * Most characters the shared strings table may hold. Cells point into it from anywhere in
 * any sheet, so it has to be in memory whole, unlike the sheets; this bounds that memory
 * (a real workbook's table is a few MB; 256M characters are ~512 MB).
 */
export const MAX_SHARED_CHARS = 256 * 1024 * 1024;

const tooMany = (path: string, part: string) =>
  new FileImportError(path, `${part}: the shared strings hold more than ${MAX_SHARED_CHARS} characters, more than bronze keeps in memory for one workbook; save the sheets as .csv and import those`);

/** xl/sharedStrings.xml: the text of each `<si>`, in order (cells of type `s` hold an index). */
export async function readSharedStrings(events: AsyncIterable<XmlEvent[]>, path: string, part: string): Promise<string[]> {
  const strings: string[] = [];
  const item = new StringItem();
  let inItem = false;
  let chars = 0;
  for await (const batch of events) {
    for (const e of batch) {
      if (e.type === 'open' && e.name === 'si') inItem = true;
      else if (e.type === 'close' && e.name === 'si') {
        inItem = false;
        const text = item.take();
        chars += text.length;
        if (chars > MAX_SHARED_CHARS) throw tooMany(path, part);
        strings.push(text);
      } else if (inItem) {
        item.on(e);
        if (chars + item.chars > MAX_SHARED_CHARS) throw tooMany(path, part);
      }
    }
  }
  return strings;
}
