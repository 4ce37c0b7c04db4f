import { defineStream, Type } from '@bronze/core';
import { canonicalElement, contentId } from '../identity.js';
import { fhirId } from '../parts/fhir-json.js';

export const ClinicalRecordSchema = Type.Object({ resourceType: Type.String({ minLength: 1 }) }, { additionalProperties: true });

/**
 * `clinical-records/*.json`: one FHIR resource per record, exactly as the file holds it.
 * raw_id: `resourceType/id` (the reader names the file when either is missing).
 */
export const clinicalRecords = defineStream<Record<string, unknown>>({
  name: 'clinical_records',
  schema: ClinicalRecordSchema,
  id: (r) => fhirId(r) ?? contentId(canonicalElement(r)),
});
