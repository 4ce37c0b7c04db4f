import { defineStream, Type, unwrapIdView } from '@bronze/core';
import { parseAppleDate } from '../apple-date.js';
import { canonicalElement, contentId, withoutDeviceAddressText } from '../identity.js';
import type { XmlObject } from '../xml/elements.js';

/** A child of `<HealthData>` this source has no stream for (ClinicalRecord, Audiogram, …). */
export interface OtherElement {
  element: string;
  /** The element as read: attributes and children (see XmlObject). */
  value: XmlObject;
}

export const OtherElementSchema = Type.Object({ element: Type.String(), value: Type.Object({}, { additionalProperties: true }) });

/**
 * Nothing is dropped: elements Apple adds that no stream knows are kept here whole.
 * raw_id: the first 32 hex digits of sha256(element name, U+001F, canonical JSON of the
 * element with device addresses blanked).
 */
export const otherElements = defineStream<OtherElement>({
  name: 'other_elements',
  schema: OtherElementSchema,
  id: (o) => contentId(o.element, canonicalElement(unwrapIdView(o).value)),
  hashText: withoutDeviceAddressText,
  timestamp: (o) => {
    const date = o.value.startDate ?? o.value.date ?? o.value.receivedDate;
    return typeof date === 'string' ? parseAppleDate(date) : undefined;
  },
});
