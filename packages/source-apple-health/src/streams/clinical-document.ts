import { defineStream, Type, unwrapIdView } from '@bronze/core';
import { parseHl7Time } from '../apple-date.js';
import { canonicalElement, contentId, withoutDeviceAddressText } from '../identity.js';
import type { CdaPart } from '../parts/cda.js';
import type { XmlObject } from '../xml/elements.js';

export const CdaPartSchema = Type.Object({ path: Type.String(), element: Type.String(), value: Type.Object({}, { additionalProperties: true }) });

/** The first `effectiveTime` below the element, breadth first: its `low` value (a span's start) or its own value. */
function effectiveTime(value: XmlObject): string | undefined {
  const queue: XmlObject[] = [value];
  for (let i = 0; i < queue.length && i < 10_000; i++) {
    const node = queue[i];
    const time = (node.effectiveTime as XmlObject[] | undefined)?.[0];
    if (time) {
      const low = (time.low as XmlObject[] | undefined)?.[0]?.value ?? time.value;
      if (typeof low === 'string') return low;
    }
    for (const v of Object.values(node)) if (Array.isArray(v)) queue.push(...v);
  }
  return undefined;
}

/**
 * export_cda.xml, the Health app's HL7 clinical document, in pieces: one record per
 * header element, per section element and per organizer `<component>` (one sample
 * each), plus the root's and other containers' attributes. raw_id: hash of path, element name and the element with device
 * addresses blanked; source_timestamp: its first effectiveTime.
 */
export const clinicalDocument = defineStream<CdaPart>({
  name: 'clinical_document',
  schema: CdaPartSchema,
  id: (p) => contentId(p.path, p.element, canonicalElement(unwrapIdView(p).value)),
  hashText: withoutDeviceAddressText,
  timestamp: (p) => (p.element === 'ClinicalDocument' ? undefined : parseHl7Time(effectiveTime(p.value))),
});
