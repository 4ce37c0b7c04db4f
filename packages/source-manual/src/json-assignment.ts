/**
 * Twitter/X archives keep their data as JavaScript, not JSON: `data/tweets.js` is
 * `window.YTD.tweets.part0 = [ … ]` (`like.js`, `follower.js`, `direct-messages.js`… alike,
 * `manifest.js` is `window.__THAR_CONFIG = { … }`; the archives of 2012–2018 wrote
 * `Grailbird.data.tweets_2013_01 = [ … ]`). The value after `=` is plain JSON: it is read as
 * the document. The assignment's bytes are read as spaces, so the JSON keeps its lines and
 * byte offsets (a damage is named at its real line) and nothing of the value is left out; a
 * `;` closing the statement at the end of the file is read as a space too.
 */
import { Transform, type Readable } from 'node:stream';
import { FileImportError, type ByteSource, type ImportedFile } from '@bronze/core';
import { headOf } from './unmarked-utf16.js';

/** `window.YTD.tweets.part0 =`, `window.__THAR_CONFIG =`, `Grailbird.data.tweets_2013_01 =`, after an optional UTF-8 BOM. */
const ASSIGNMENT = /^(\xEF\xBB\xBF)?([ \t\r\n]*(?:window|Grailbird)(?:\.[A-Za-z_$][\w$]*)+[ \t]*=)/;

export interface Assignment {
  /** The assignment as written, for the summary: `window.YTD.tweets.part0 =`. */
  text: string;
  /** Byte range read as spaces: after the BOM (kept: it names the encoding), through `=`. */
  from: number;
  to: number;
}

/** The JavaScript assignment a file starts with, or undefined (a JSON file). */
export async function assignmentOf(file: ImportedFile): Promise<Assignment | undefined> {
  // latin1 maps each byte to one character: match positions are byte offsets.
  const m = ASSIGNMENT.exec((await headOf(file)).toString('latin1'));
  if (!m) return undefined;
  const from = m[1]?.length ?? 0;
  return { text: m[2].trim(), from, to: from + m[2].length };
}

/** A `.js` file must be such an archive file: other JavaScript holds no data to read. */
export function notAnArchiveFile(path: string): FileImportError {
  return new FileImportError(path, 'is JavaScript, not JSON: manual reads a .js file only when it holds data behind one assignment, as a Twitter/X archive\'s data/*.js files do (window.YTD.tweets.part0 = [ … ]); save the data as .json to import it');
}

/** The file with the assignment's bytes read as spaces. */
export function withoutAssignment(file: ImportedFile, a: Assignment): ByteSource {
  return {
    path: file.path,
    decodedAs: (encoding) => file.decodedAs(encoding),
    open: () => blanked(file.open(), a.from, a.to),
  };
}

/** White space and `;`: what may follow the value (`… ];`), held back until more text proves it is not the end. */
const TAIL = new Set([0x20, 0x09, 0x0d, 0x0a, 0x3b]);

function blanked(source: Readable, from: number, to: number): Readable {
  let offset = 0;
  let held: Buffer = Buffer.alloc(0);
  const blank = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const start = Math.max(from - offset, 0);
      const end = Math.min(to - offset, chunk.length);
      offset += chunk.length;
      chunk = Buffer.concat([held, chunk]); // a copy: never written into the reader's own buffer
      if (start < end) chunk.fill(0x20, held.length + start, held.length + end);
      let tail = chunk.length;
      while (tail > 0 && TAIL.has(chunk[tail - 1])) tail--;
      held = chunk.subarray(tail);
      done(null, chunk.subarray(0, tail));
    },
    flush(done) {
      // The statement's closing `;` ends the file: read as a space, as the assignment is.
      done(null, Buffer.from(held.map((b) => (b === 0x3b ? 0x20 : b))));
    },
  });
  source.on('error', (err) => blank.destroy(err));
  blank.on('close', () => source.destroy());
  return source.pipe(blank);
}
