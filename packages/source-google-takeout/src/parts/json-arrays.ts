import { emit, readJsonArrays, type Emitted } from '@bronze/core';
import { byteSource, where, type TakeoutFile } from './entry.js';

export interface ArraysPlan {
  /** Stream of each split top-level array's elements, by key; `''` for a top-level array. */
  streams: Record<string, string>;
  /** Stream of the rest of the document (keys besides the split arrays). */
  rest: string;
}

/**
 * A JSON file of Takeout as records: the elements of its big arrays one by one (a
 * multi-GB Records.json is never held whole; Google writes UTF-8), the rest as one record.
 */
export async function* readArrays(f: TakeoutFile, plan: ArraysPlan): AsyncIterable<Emitted> {
  const keys = Object.keys(plan.streams).filter((k) => k !== '');
  for await (const item of readJsonArrays(byteSource(f), { keys, encoding: 'utf-8' })) {
    if (item.role === 'rest') {
      yield emit({ path: f.path, rest: item.value }, { stream: plan.rest, metadata: where(f, { role: 'rest' }), rawId: `rest:${f.path}` });
      continue;
    }
    const stream = plan.streams[item.key ?? ''] ?? plan.rest;
    yield emit(item.value, { stream, metadata: where(f, { index: item.index, ...(item.key ? { key: item.key } : {}) }) });
  }
}
