import { defineStream, Type } from '@bronze/core';
import type { XmlObject } from '../xml/elements.js';
import { open } from './schema-parts.js';

export const MeSchema = Type.Object({}, open);

/** `<Me>`: the person's characteristics (HKCharacteristicTypeIdentifier… attributes). One record, raw_id `me`. */
export const me = defineStream<XmlObject>({
  name: 'me',
  schema: MeSchema,
  id: () => 'me',
});
