import { emit, isEmitted, type Emitted, type SourceContext } from '../contract.js';
import { HttpError } from '../http/client.js';
import type { HttpResponse } from '../http/types.js';
import type { ApiStreamSpec, RequestParams } from './api-stream-types.js';

const REDACTED = '[REDACTED]';

/** Credentials a record carries (Toggl's own api_token in /me) never reach a row. */
export function maskSecretFields(record: unknown, fields: string[] | undefined): unknown {
  if (!fields?.length || !record || typeof record !== 'object' || Array.isArray(record)) return record;
  const r = record as Record<string, unknown>;
  const hit = fields.filter((f) => f in r && r[f] !== null && r[f] !== '');
  if (!hit.length) return record;
  return { ...r, ...Object.fromEntries(hit.map((f) => [f, REDACTED])) };
}

/**
 * Every listed record of one listing (all pages), with the api_* facts of its response. On
 * Ctrl-C ctx.http ends the listing quietly: callers check ctx.signal before they move a
 * cursor past what they got.
 */
export async function* listItems(spec: ApiStreamSpec, params: RequestParams, ctx: SourceContext): AsyncGenerator<Emitted> {
  const request = await spec.request(params, ctx);
  if (!request) return;
  const items = spec.items && ((body: unknown, res: HttpResponse) => spec.items!(body, res, ctx));
  yield* ctx.http.records(request, { paging: spec.paging, items });
}

/** `id: 'field'`: the field's value as it is; core makes it raw_id or refuses it (record-values.ts). */
export function idField(field: string): (record: unknown) => unknown {
  return (record) => (record !== null && typeof record === 'object' ? (record as Record<string, unknown>)[field] : undefined);
}

/** What is stored for one listed record: itself, or the records of its detail request. */
export async function rowsOf(spec: ApiStreamSpec, item: Emitted, ctx: SourceContext): Promise<Emitted[]> {
  if (!spec.detail) return [emit(maskSecretFields(item.record, spec.secretFields), item.meta)];
  if (ctx.signal.aborted) return [];
  const request = spec.detail.request(item.record, ctx);
  if (!request) return [];
  const res = await ctx.http.json(request).catch((err: unknown) => {
    // Deleted between the listing and this request: nothing to store, nothing to ask again.
    if (spec.detail!.skipNotFound && err instanceof HttpError && err.status === 404) return undefined;
    throw err;
  });
  if (!res) return [];
  const records = spec.detail.items ? (spec.detail.items(res.body, res, item.record) ?? []) : res.body === null ? [] : [res.body];
  return records.map((r) => (isEmitted(r) ? emit(maskSecretFields(r.record, spec.secretFields), { api: res.api, ...r.meta }) : emit(maskSecretFields(r, spec.secretFields), { api: res.api })));
}
