import type { XmlEvent } from '../sheets/xml-events.js';

/**
 * Elements whose text is not part of a cell's text (ODF 1.2 part 1, §6.1.1): a comment
 * (`office:annotation`, shown beside the cell, never in it), footnotes, ruby annotations, and
 * drawing shapes and frames (an image or text box anchored in the cell).
 */
const NOT_TEXT = new Set(['office:annotation', 'office:annotation-end', 'text:note', 'text:note-body', 'text:ruby-text']);
const skipped = (name: string) => NOT_TEXT.has(name) || name.startsWith('draw:') || name.startsWith('?:');

/** `text:c` of a `<text:s>`: how many spaces it stands for (1 when absent). */
function spaceCount(c: string | undefined): number {
  const n = c === undefined ? 1 : Number(c);
  return Number.isInteger(n) && n > 0 ? n : 1;
}

/**
 * The text an .ods cell shows, built event by event from its `text:p` / `text:h`
 * paragraphs (joined by a line feed: LibreOffice writes a cell's lines so). Inside a
 * paragraph, character data has its white space collapsed as ODF §6.1.2 says (a run of
 * spaces, tabs and line ends is one space; none at the paragraph's start or end), while
 * `<text:s text:c="3"/>`, `<text:tab/>` and `<text:line-break/>` are the spaces, tab and
 * line break the person typed. Spans and links (`text:span`, `text:a`) are read through.
 */
export class CellText {
  private paragraphs: string[] = [];
  private current: string[] | undefined;
  /** Depth inside the cell: paragraphs are its direct children. */
  private depth = 0;
  /** Depth of an element whose text is left out (an annotation), 0 when none. */
  private skipDepth = 0;
  /** The last character was collapsible white space from character data (or the paragraph has just begun). */
  private softSpace = true;
  /** Characters gathered so far: callers bound it (a part is not trusted to be sane). */
  chars = 0;

  on(e: XmlEvent): void {
    if (e.type === 'open') {
      this.depth++;
      if (this.skipDepth) this.skipDepth++;
      else if (skipped(e.name)) this.skipDepth = 1;
      else if (this.depth === 1 && (e.name === 'text:p' || e.name === 'text:h')) {
        this.current = [];
        this.softSpace = true;
      } else if (this.current) {
        if (e.name === 'text:s') this.typed(' '.repeat(Math.min(spaceCount(e.attrs['text:c']), 1 << 20)));
        else if (e.name === 'text:tab') this.typed('\t');
        else if (e.name === 'text:line-break') this.typed('\n');
      }
    } else if (e.type === 'close') {
      this.depth--;
      if (this.skipDepth) this.skipDepth--;
      else if (this.depth === 0 && this.current && (e.name === 'text:p' || e.name === 'text:h')) {
        let text = this.current.join('');
        if (this.softSpace && text.endsWith(' ') && this.current.length) text = text.slice(0, -1);
        this.paragraphs.push(text);
        this.current = undefined;
      }
    } else if (this.current && !this.skipDepth) {
      let out = e.text.replace(/[ \t\r\n]+/g, ' ');
      if (this.softSpace && out.startsWith(' ')) out = out.slice(1);
      if (out) this.softSpace = out.endsWith(' ');
      this.current.push(out);
      this.chars += out.length;
    }
  }

  /** Characters an element stands for: kept as they are, never collapsed. */
  private typed(text: string): void {
    this.current!.push(text);
    this.chars += text.length;
    this.softSpace = false;
  }

  /** The cell's text (undefined when it has no paragraph), and a fresh start for the next cell. */
  take(): string | undefined {
    const text = this.paragraphs.length ? this.paragraphs.join('\n') : undefined;
    this.paragraphs = [];
    this.current = undefined;
    this.depth = 0;
    this.skipDepth = 0;
    this.chars = 0;
    return text;
  }
}
