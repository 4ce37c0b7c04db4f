import { checkpoint, defineApiStream, isCheckpoint, isEmitted, Type, type SourceContext, type Stream } from '@bronze/core';
import type { Account } from '../account.js';
import { gh, PER_PAGE } from '../client.js';
import { dateOf, Id, Instant, nullable } from './fields.js';

/** GET /users/{login}/events: the user's own activity, private events included for their own token. */
export const EventRecord = Type.Object({
  id: Type.String({ description: 'numeric, as text' }), type: nullable(Type.String()),
  actor: Type.Object({ id: Id(), login: Type.String() }), repo: Type.Object({ id: Id(), name: Type.String() }),
  public: Type.Boolean(), created_at: nullable(Instant()),
});
type Event = { id: string; created_at: string | null };
interface EventsState {
  cursor?: string;
  /** Whose events the cursor follows: a re-run whose /user answered 304 needs no lookup. */
  login?: string;
}

async function lookupLogin(ctx: SourceContext): Promise<string> {
  const { body } = await ctx.http.json<{ login: string }>(gh('/user'));
  return body.login;
}

/**
 * GitHub lists the last 300 events of 90 days: when the listing no longer reaches back to the
 * last event stored, events between the two may have been dropped before this run asked.
 */
function eventsGapNote(saved: string, oldest: Event): string {
  return (
    `events: GitHub's listing no longer reaches back to the last event stored (id ${saved}); it keeps 300 events of the last 90 days, ` +
    `so events between that one and the oldest listed (id ${oldest.id}, ${oldest.created_at ?? 'no date'}) may be missing: run at least every few days`
  );
}

/**
 * By id, newest first (GitHub keeps 300 events of the last 90 days, at most 3 pages): core reads
 * the listing whole and hands it over oldest first. Conditional: GitHub optimises this listing
 * for polling by ETag, a 304 when no event happened.
 */
export function events(account: Account): Stream {
  let login = '';
  const listing = defineApiStream<Event>({
    name: 'events',
    schema: EventRecord,
    id: (r) => r.id,
    timestamp: (r) => dateOf(r.created_at),
    request: () => gh(`/users/${encodeURIComponent(login)}/events`, { per_page: PER_PAGE }),
    paging: { type: 'link' },
    incremental: { kind: 'by-field', field: (r) => r.id, type: 'id', order: 'descending' },
    conditional: true,
  });
  return {
    ...listing,
    async *read(args: { state?: EventsState; since?: Date; until?: Date }, ctx: SourceContext) {
      // The user stream (read first) knows the login when /user changed; else the saved one.
      login = account.login ?? args.state?.login ?? (await lookupLogin(ctx));
      const saved = args.since ? undefined : args.state?.cursor;
      let oldest: Event | undefined;
      for await (const item of listing.read!(args, ctx)) {
        if (isEmitted(item) && (!oldest || BigInt((item.record as Event).id) < BigInt(oldest.id))) oldest = item.record as Event;
        yield isCheckpoint(item) ? checkpoint({ ...(item.state as object), login }) : item;
      }
      if (saved && oldest && BigInt(oldest.id) > BigInt(saved) && !ctx.signal.aborted) ctx.note?.(eventsGapNote(saved, oldest));
    },
  };
}
