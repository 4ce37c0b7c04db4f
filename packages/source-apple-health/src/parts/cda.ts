import type { Readable } from 'node:stream';
import { emit, type Emitted } from '@bronze/core';
import { readXmlElements, type XmlObject } from '../xml/elements.js';

/** One piece of export_cda.xml (HL7 CDA): a header element, a section's element, an `<entry>`, or a container's attributes. */
export interface CdaPart {
  /** The containers around it, e.g. `ClinicalDocument/component/structuredBody/component/section`. */
  path: string;
  element: string;
  /** The element as read (see XmlObject); a container's attributes only. */
  value: XmlObject;
}

/**
 * The elements that hold the document's pieces rather than being one: ClinicalDocument,
 * its component, structuredBody, their components and sections. Every other element at
 * the first level below them is one record (an `<entry>` is one observation of export.xml).
 */
const CONTAINERS = new Set([
  'ClinicalDocument',
  'ClinicalDocument/component',
  'ClinicalDocument/component/structuredBody',
  'ClinicalDocument/component/structuredBody/component',
  'ClinicalDocument/component/structuredBody/component/section',
]);

/** export_cda.xml streamed into records of the `clinical_document` stream, in document order. */
export async function* readCda(input: Readable, label: string, metadata: Record<string, unknown>): AsyncIterable<Emitted> {
  const options = { containers: (path: readonly string[]) => CONTAINERS.has(path.join('/')), yieldContainers: true };
  for await (const el of readXmlElements(input, label, options)) {
    const part: CdaPart = { path: el.path.join('/'), element: el.name, value: el.value };
    yield emit(part, { stream: 'clinical_document', metadata: { ...metadata, line: el.line }, ...(el.problem ? { invalid: `${label}: ${el.problem}` } : {}) });
  }
}
