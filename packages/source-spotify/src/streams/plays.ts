import { defineStream, Type, type Stream } from '@bronze/core';
import type { PlayStream } from '../export-layout.js';
import { accountPlayId, extendedPlayId } from '../play-ids.js';

type Play = Record<string, unknown>;

function instant(value: unknown, form: RegExp): Date | undefined {
  if (typeof value !== 'string' || !form.test(value)) return undefined;
  const d = new Date(value.length === 16 ? `${value.replace(' ', 'T')}:00Z` : value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** `2025-02-03T19:07:06Z`: when the play ended (UTC; an offset is read too, and core warns about instants it cannot store). */
const ISO = /^[+-]?\d{4,6}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
/** `2025-04-28 05:10`: when the play ended, UTC, to the minute. */
const MINUTE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/;

const EXTENDED = Type.Object({ ts: Type.String(), ms_played: Type.Number() }, { additionalProperties: true });
const ACCOUNT = Type.Object({ endTime: Type.String(), msPlayed: Type.Number() }, { additionalProperties: true });

/**
 * One row per play, every field as Spotify wrote it (ip_addr, user agent, platform
 * included: bronze drops nothing). raw_id: the play id of `src/play-ids.ts`, numbered by
 * core (`#1`, `#2` for identical plays). source_timestamp: `ts` / `endTime`, the play's end.
 */
function playStream(name: PlayStream): Stream<Play> {
  const extended = name.startsWith('extended_');
  return defineStream<Play>({
    name,
    schema: extended ? EXTENDED : ACCOUNT,
    // The reader gives each play its id (countedId, numbered by core); this runs only when the
    // reader could not, and then says why (a part that is not text).
    id: (p) => (extended ? extendedPlayId(p) : accountPlayId(p)),
    timestamp: (p) => (extended ? instant(p.ts, ISO) : instant(p.endTime, MINUTE)),
  });
}

export const playStreams: Stream[] = (
  ['streaming_history', 'streaming_history_podcast', 'streaming_history_audiobook', 'streaming_history_video', 'extended_history_audio', 'extended_history_video'] as const
).map(playStream);
