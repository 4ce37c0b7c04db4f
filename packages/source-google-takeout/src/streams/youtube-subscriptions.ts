import { defineStream, Type } from '@bronze/core';

/** `YouTube and YouTube Music/subscriptions/subscriptions.csv`: one row per channel, as written. raw_id: the first column (Channel Id). */
export const youtubeSubscriptions = defineStream<Record<string, string>>({
  name: 'youtube_subscriptions',
  schema: Type.Record(Type.String(), Type.String()),
  id: (r) => Object.values(r)[0] ?? '',
});
