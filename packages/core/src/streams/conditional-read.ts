import { checkpoint, isCheckpoint, type ReadArgs, type SourceContext } from '../contract.js';
import type { HttpClient } from '../http/types.js';
import { requestKey, validatorOf } from '../http/validators.js';

/** What a conditional stream keeps in its state beside its kind's cursor. */
export interface ConditionalState {
  /** The validator (ETag or Last-Modified) of each listing's first page, by request (requestKey). */
  etags?: Record<string, string>;
}

type Read<S> = (args: ReadArgs<S>, ctx: SourceContext) => AsyncIterable<unknown>;

interface Tally {
  sent: number;
  notModified: number;
}
// One tally per run: ctx.note is made once per run (createSourceContext).
const tallies = new WeakMap<object, Tally>();

function count(ctx: SourceContext, notModified: boolean): void {
  if (!ctx.note) return;
  const t = tallies.get(ctx.note) ?? { sent: 0, notModified: 0 };
  tallies.set(ctx.note, t);
  t.sent++;
  if (notModified) t.notModified++;
  ctx.note(`${t.sent} conditional request${t.sent === 1 ? '' : 's'}, ${t.notModified} answered 304 Not Modified`, 'conditional-requests');
}

/**
 * ctx.http for a conditional stream: the first request of each listing carries the validator
 * saved for it, and a 304 ends the listing with nothing (a listing sorted newest first, or
 * asked with `since`, has nothing new when its first page has not changed). The validators
 * answered this run go to `fresh`.
 */
function conditionalHttp(ctx: SourceContext, saved: Record<string, string>, fresh: Record<string, string>): HttpClient {
  return {
    json: (request) => ctx.http.json(request),
    records(request, options = {}) {
      const key = requestKey(request);
      const validator = saved[key];
      return ctx.http.records(
        { ...request, validator },
        {
          ...options,
          onResponse(res, page) {
            options.onResponse?.(res, page);
            if (page.request !== 0) return;
            if (validator) count(ctx, res.status === 304);
            const next = validatorOf(res.headers) ?? (res.status === 304 ? validator : undefined);
            if (next) fresh[key] = next;
          },
        },
      );
    },
  };
}

/**
 * Wraps a stream's read with conditional requests (If-None-Match / If-Modified-Since). The
 * validators of this run commit only with the stream's last checkpoint, after every record
 * they cover: a run cut short keeps the old ones, whose next answer is a full 200. An
 * explicit --since range asks without validators and leaves them as they are.
 */
export function withConditionalRequests<S extends object>(read: Read<S>): Read<S & ConditionalState> {
  return async function* (args, ctx) {
    if (args.since) {
      yield* read(args as ReadArgs<S>, ctx);
      return;
    }
    const { etags: saved = {}, ...cursor } = (args.state ?? {}) as S & ConditionalState;
    const keep = Object.keys(saved).length ? { etags: saved } : {};
    const fresh: Record<string, string> = {};
    let last: object = cursor;
    const inner = read({ ...args, state: args.state === undefined ? undefined : (cursor as S) }, { ...ctx, http: conditionalHttp(ctx, saved, fresh) });
    for await (const item of inner) {
      if (!isCheckpoint(item)) {
        yield item;
        continue;
      }
      last = item.state as object;
      yield checkpoint({ ...last, ...keep });
    }
    if (ctx.signal.aborted) return;
    yield checkpoint({ ...last, ...(Object.keys(fresh).length ? { etags: fresh } : {}) });
  };
}
