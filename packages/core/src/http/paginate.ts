import { emit, type Emitted } from '../contract.js';
import { dateWindows } from './date-windows.js';
import type { DateWindow, HttpClient, HttpRequest, HttpResponse, PageInfo, RecordsOptions } from './types.js';

function defaultItems(body: any): unknown[] | undefined {
  if (Array.isArray(body)) return body;
  if (body && Array.isArray(body.data)) return body.data;
  if (body && Array.isArray(body.items)) return body.items;
  return undefined;
}

/**
 * The URL of rel="next" in a Link header, if any. Each link is `<URI>` and its parameters up to
 * the next `<` (RFC 8288): a URI may hold commas (`?affiliation=owner,collaborator`), so the
 * header is not split on them, which ended a listing after its first page without a word.
 */
export function nextLink(link: string | null): string | undefined {
  if (!link) return undefined;
  for (const m of link.matchAll(/<([^>]*)>([^<]*)/g)) {
    // rel="next", rel=next or rel="next last": a space-separated list of relation types.
    const rel = /(?:^|;)\s*rel\s*=\s*(?:"([^"]*)"|([^;,\s]*))/i.exec(m[2]);
    const types = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/);
    if (types.includes('next')) return m[1];
  }
  return undefined;
}

function sameRequest(a: HttpRequest, b: HttpRequest): boolean {
  return a.path === b.path && JSON.stringify([a.method, a.query, a.body]) === JSON.stringify([b.method, b.query, b.body]);
}

/** Yields the requests of a listing one at a time, each after the previous response is known. */
async function* requests(base: HttpRequest, o: RecordsOptions<unknown>): AsyncGenerator<{ request: HttpRequest; window?: DateWindow }, void, HttpResponse & { count: number }> {
  const p = o.paging;
  if (!p) {
    yield { request: base };
    return;
  }
  switch (p.type) {
    case 'page':
      for (let page = p.firstPage ?? 1; ; page++) {
        const res = yield { request: { ...base, query: { ...base.query, [p.pageParam ?? 'page']: page, ...(p.sizeParam !== '' ? { [p.sizeParam ?? 'per_page']: p.size } : {}) } } };
        if (res.count < p.size) return;
      }
    case 'offset':
      for (let offset = 0; ; offset += p.size) {
        const res = yield { request: { ...base, query: { ...base.query, [p.offsetParam ?? 'offset']: offset, [p.limitParam ?? 'limit']: p.size } } };
        if (res.count < p.size) return;
      }
    case 'cursor': {
      let cursor: string | number | undefined;
      for (;;) {
        const res = yield { request: { ...base, query: { ...base.query, ...(cursor !== undefined ? { [p.param]: cursor } : {}) } } };
        const next = p.next(res.body, res);
        if (next === undefined || next === null || next === '' || next === cursor || res.count === 0) return;
        cursor = next;
      }
    }
    case 'link': {
      let request = base;
      for (;;) {
        const res = yield { request };
        const next = nextLink(res.headers.get('link'));
        if (!next || res.count === 0) return;
        request = { ...base, path: next, query: undefined };
      }
    }
    case 'next': {
      let request = base;
      for (;;) {
        const res = yield { request };
        // next() decides even after an empty page: it may move on to another listing (Toggl's next workspace).
        const next = p.next(request, res.body, res);
        if (!next) return;
        // The same request again would read the same page for ever (a server repeating its
        // cursor): an error, not a quiet end that could pass for the listing's last page.
        if (sameRequest(next, request)) throw new Error(`${request.path}: the next page's request is the one just answered (the server repeated its cursor); stopped`);
        request = next;
      }
    }
    case 'windows':
      for (const window of dateWindows(p.from, p.to, p.stepMs)) {
        yield { request: { ...base, query: { ...base.query, ...p.query(window) } }, window };
      }
  }
}

/**
 * Every record of a listing, wrapped with the api_* facts of the response it came in.
 * Requests are made lazily: a consumer that stops early makes no further requests. On
 * cancellation (ctx.signal) the listing ends quietly so core commits what was read.
 */
export async function* paginate<T>(http: HttpClient, base: HttpRequest, o: RecordsOptions<T>, signal?: AbortSignal): AsyncGenerator<Emitted<T>> {
  const plan = requests(base, o as RecordsOptions<unknown>);
  const max = o.maxRequests ?? 10_000;
  let step = await plan.next();
  for (let n = 0; !step.done; n++) {
    if (n >= max) throw new Error(`${base.path}: stopped after ${max} requests; the server seems to ignore the paging parameters`);
    if (signal?.aborted) return;
    let res: HttpResponse;
    // A validator belongs to the listing's first request only: later pages have their own.
    const request = n === 0 ? step.value.request : { ...step.value.request, validator: undefined };
    try {
      res = await http.json(request);
    } catch (err) {
      if (signal?.aborted) return;
      throw err;
    }
    o.onResponse?.(res, { request: n, window: step.value.window });
    // Not modified since the validator: the listing holds nothing new.
    if (res.status === 304) return;
    const items = (o.items ? o.items(res.body, res) : defaultItems(res.body)) as T[] | undefined | null;
    if (items !== undefined && items !== null && !Array.isArray(items)) throw new Error(`${res.api.endpoint}: expected a list of records, got ${typeof items}`);
    if (items === undefined && o.items === undefined && res.body !== null) {
      throw new Error(`${res.api.endpoint}: the response holds no list of records (pass options.items to say where it is)`);
    }
    const page: PageInfo = { request: n, window: step.value.window };
    for (const record of items ?? []) yield emit(record, { ...o.meta?.(record, res, page), api: res.api });
    // Paging decides on the page as the server listed it (a short or empty page ends it), not on
    // what `items` kept of it: a hook that keeps part of a list must not end the listing.
    step = await plan.next({ ...res, count: Array.isArray(res.body) ? res.body.length : (items?.length ?? 0) });
  }
}
