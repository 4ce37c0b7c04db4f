import { createHash } from 'node:crypto';
import { canonicalJson } from '@bronze/core';

type Play = Record<string, unknown>;

/** A part of a play id: text or a number; anything else is refused (core stores the play invalid, keyed by its hash) rather than merged as "[object Object]" or "true". */
function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'object' && 'literal' in v) return String(v); // an exact number (JsonNumber)
  throw new Error(`a play id is made of text and numbers; this play has ${Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`} there`);
}

/**
 * A play of the extended history: `<ts>|<uri>|<ms_played>`, the uri being the track's, else
 * the episode's, the audiobook chapter's or the audiobook's; a local file (no uri) is
 * `local:<artist>/<album>/<track>`. Core numbers identical plays (`…#1`, `…#2`) in the order
 * a file lists them, so two identical plays stay two rows and a later export holding them
 * again adds nothing.
 */
export function extendedPlayId(p: Play): string {
  const uri = p.spotify_track_uri ?? p.spotify_episode_uri ?? p.audiobook_chapter_uri ?? p.audiobook_uri;
  const what = uri ? text(uri) : `local:${text(p.master_metadata_album_artist_name ?? p.episode_show_name)}/${text(p.master_metadata_album_album_name)}/${text(p.master_metadata_track_name ?? p.episode_name)}`;
  return `${text(p.ts)}|${what}|${text(p.ms_played)}`;
}

/**
 * A play of the account data's history (no uri there): `<endTime>|<artistName>|<trackName>|<msPlayed>`,
 * `<endTime>|<podcastName>|<episodeName>|<msPlayed>` for podcasts, and for any other shape
 * `<endTime>|sha256:<hash of the play>`. Numbered by core like extended plays.
 */
export function accountPlayId(p: Play): string {
  if ('artistName' in p || 'trackName' in p) return `${text(p.endTime)}|${text(p.artistName)}|${text(p.trackName)}|${text(p.msPlayed)}`;
  if ('podcastName' in p || 'episodeName' in p) return `${text(p.endTime)}|${text(p.podcastName)}|${text(p.episodeName)}|${text(p.msPlayed)}`;
  return `${text(p.endTime)}|sha256:${createHash('sha256').update(canonicalJson(p).text).digest('hex')}`;
}
