import type { Readable } from 'node:stream';
import { emit, parseJsonPrecise, type Emitted } from '@bronze/core';
import { decodeUtf8, readWhole } from './read-bytes.js';

/** `Observation/3f2a…`: the resource's type and id, which FHIR servers keep stable; undefined when either is missing. */
export function fhirId(resource: unknown): string | undefined {
  if (!resource || typeof resource !== 'object') return undefined;
  const { resourceType, id } = resource as Record<string, unknown>;
  return typeof resourceType === 'string' && typeof id === 'string' && resourceType && id ? `${resourceType}/${id}` : undefined;
}

/**
 * `clinical-records/*.json`: one FHIR resource per file (Observation, Condition, …, as
 * the provider sent it to the Health app), stored whole as raw_data; raw_id
 * `resourceType/id` (`file:<path>` without them). A file that is not
 * JSON is stored invalid as `{ file, text }`, naming the problem.
 */
export async function* readFhir(input: Readable, file: string, label: string, metadata: Record<string, unknown>): AsyncIterable<Emitted> {
  const { text, warning } = decodeUtf8(await readWhole(input, label), label);
  const meta = { ...metadata, file };
  let resource: unknown;
  try {
    resource = parseJsonPrecise(text);
  } catch (err) {
    yield emit({ file, text }, { stream: 'clinical_records', metadata: meta, invalid: `${label}: not JSON: ${(err as Error).message}`, rawId: `file:${file}` });
    return;
  }
  yield emit(resource, { stream: 'clinical_records', metadata: meta, rawId: fhirId(resource) ?? `file:${file}`, ...(warning ? { warning } : {}) });
}
