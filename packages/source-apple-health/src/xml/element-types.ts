/** What readXmlElements hands over, and how it is told which elements are records. */
import type { ReadAgain, XmlEncoding } from './xml-decoder.js';

/**
 * An XML element as JSON, nothing renamed or converted: its attributes exactly as
 * written (strings), each kind of child element as an array under the child's tag name,
 * and non-blank text under `#text` (no XML name can start with `#`).
 */
export interface XmlObject {
  [key: string]: string | XmlObject[];
}

export interface XmlElement {
  name: string;
  value: XmlObject;
  /** 1-based line where the element starts. */
  line: number;
  /** The attributes of the document's root element (e.g. HealthData's locale). */
  root: Record<string, string>;
  /** Names of the containers around it, outermost first (`['HealthData']`). */
  path: string[];
  /** A container's opening (its attributes only; its children come as elements of their own). */
  container?: boolean;
  /** On the root's opening: the document's `<!DOCTYPE …>` as written, when it has one (never interpreted). */
  doctype?: string;
  /** Why the element could not be kept whole (too deep, too large): store it invalid with this. */
  problem?: string;
  /** It spanned more than maxElementChars: only its attributes were kept. */
  oversized?: boolean;
  /**
   * Why the element is not exactly what the file spells, though kept whole: bytes near it
   * were not UTF-8 and were decoded as U+FFFD (docs/values.md), characters XML forbids, or a
   * closing tag not its own ended it. The row is stored with this warning, never silently as valid.
   */
  warning?: string;
}

export interface ReadXmlOptions {
  /**
   * Which elements are containers rather than records, by path (ancestor names and the
   * element's own name). 0: none (the root is the one record); 1: the root only (its
   * children are the records).
   */
  containers: 0 | 1 | ((path: readonly string[]) => boolean);
  /** Hand over the root's opening, and those of other containers that carry attributes. */
  yieldContainers?: boolean;
  maxDepth?: number;
  maxElementChars?: number;
  /**
   * The input is a file's text from the start of line `line`, at byte `byte`, after damage
   * (src/read-parts.ts): the parser reads `<container>` first, and every line, column and byte
   * it reports is the file's, decoded in the file's `encoding` (XmlDamageInfo's; UTF-8 when absent).
   */
  resume?: { container: string; line: number; byte: number; encoding?: XmlEncoding };
  /**
   * The part read again from its start: a part in an encoding read through TextDecoder
   * (`Shift_JIS`…) is first checked whole with it (xml-decoder.ts checkedPartDecoder).
   */
  readAgain?: ReadAgain;
}
