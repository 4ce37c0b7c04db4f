import type { Readable } from 'node:stream';
import { emit, type Emitted } from '@bronze/core';
import { elementWarning, readXmlElements, type XmlObject } from '../xml/elements.js';
import type { ReadAgain } from '../xml/xml-decoder.js';

/** One piece of export_cda.xml (HL7 CDA): a header element, a section's element, one observation's `<component>`, or a container's attributes. */
export interface CdaPart {
  /** The containers around it, e.g. `ClinicalDocument/component/structuredBody/component/section`. */
  path: string;
  element: string;
  /** The element as read (see XmlObject); a container's attributes only. */
  value: XmlObject;
}

/**
 * The elements that hold the document's pieces rather than being one: the root, its
 * component and structuredBody, their components, sections, entries and organizers.
 * Apple puts every sample in one organizer (its effectiveTime spans the whole history):
 * each child of it, a `<component>` with one `<observation>`, is one record, as is every
 * other element at the first level below a container (header elements, section titles).
 */
const NESTING = new Set(['structuredBody', 'section', 'entry', 'organizer']);

export function isCdaContainer(path: readonly string[]): boolean {
  if (path.length === 1) return true;
  const name = path[path.length - 1];
  const parent = path[path.length - 2];
  return name === 'component' ? parent === path[0] || parent === 'structuredBody' : NESTING.has(name);
}

/** export_cda.xml streamed into records of the `clinical_document` stream, in document order; `readAgain`: ReadXmlOptions'. */
export async function* readCda(input: Readable, label: string, metadata: Record<string, unknown>, readAgain?: ReadAgain): AsyncIterable<Emitted> {
  const options = { containers: isCdaContainer, yieldContainers: true, readAgain };
  for await (const el of readXmlElements(input, label, options)) {
    const part: CdaPart = { path: el.path.join('/'), element: el.name, value: el.value };
    const warning = el.warning ? { warning: elementWarning(el, label) } : {};
    yield emit(part, { stream: 'clinical_document', metadata: { ...metadata, line: el.line }, ...(el.problem ? { invalid: `${label}: ${el.problem}` } : warning) });
  }
}
