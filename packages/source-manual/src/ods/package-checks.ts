import { FileImportError, type ImportedFile, type SourceContext } from '@bronze/core';
import { xmlEvents } from '../sheets/xml-events.js';

const SPREADSHEET = 'application/vnd.oasis.opendocument.spreadsheet';
const MANIFEST = 'META-INF/manifest.xml';

/** What an OpenDocument mimetype is, for the error on one that is no spreadsheet. */
function kindOf(mimetype: string): string {
  const m = /^application\/vnd\.oasis\.opendocument\.([a-z-]+)$/.exec(mimetype);
  return m ? `an OpenDocument ${m[1].replace('-template', ' template')} (${mimetype})` : `a ${JSON.stringify(mimetype.slice(0, 80))} file`;
}

async function entryText(file: ImportedFile, ctx: SourceContext, name: string): Promise<string | undefined> {
  for await (const entry of ctx.files.zipEntries(file)) {
    if (entry.name !== name) continue;
    const chunks: Buffer[] = [];
    for await (const chunk of await entry.open({ maxEntryBytes: 4096 })) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8').trim();
  }
  return undefined;
}

/**
 * Before any row: the package is an OpenDocument spreadsheet (its `mimetype` entry, when it
 * has one, says so: an .odt renamed .ods is told apart), and it is not encrypted. A
 * password-protected .ods keeps its parts encrypted (META-INF/manifest.xml gives each an
 * `manifest:encryption-data`): content.xml would read as damage, so the file is refused
 * naming the remedy, with nothing stored.
 */
export async function checkPackage(file: ImportedFile, ctx: SourceContext): Promise<void> {
  const mimetype = await entryText(file, ctx, 'mimetype');
  if (mimetype !== undefined && mimetype !== SPREADSHEET && mimetype !== `${SPREADSHEET}-template`) {
    throw new FileImportError(file.path, `is ${kindOf(mimetype)}, not a spreadsheet: manual reads OpenDocument spreadsheets (.ods); save the table from LibreOffice Calc as .ods or .csv`);
  }
  for await (const entry of ctx.files.zipEntries(file)) {
    if (entry.name !== MANIFEST) continue;
    for await (const batch of xmlEvents(await entry.open({ maxEntryBytes: 16 * 1024 * 1024 }), file.path, MANIFEST, 'odf')) {
      if (batch.some((e) => e.type === 'open' && e.name === 'manifest:encryption-data')) {
        throw new FileImportError(file.path, 'is a password-protected (encrypted) .ods: its sheets cannot be read without the password; open it in LibreOffice, save it again without a password (File > Save As, "Save with password" unticked), then import that file');
      }
    }
  }
}
