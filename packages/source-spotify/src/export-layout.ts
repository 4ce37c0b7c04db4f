/** How a file of a Spotify export is read, by its name. */
export type SpotifyFileKind =
  | { type: 'plays'; stream: PlayStream }
  | { type: 'account'; stream: string }
  | { type: 'other_json' }
  | { type: 'other_file' };

export type PlayStream =
  | 'streaming_history' | 'streaming_history_podcast' | 'streaming_history_audiobook' | 'streaming_history_video'
  | 'extended_history_audio' | 'extended_history_video';

/**
 * The other JSON files of the "Account data" export, each to a stream named after it
 * (snake_case; numbered pages share one: Playlist1.json, Playlist2.json → `playlist`;
 * Wrapped2023.json, Wrapped2024.json → `wrapped`). Names from exports of 2020–2025.
 */
export const ACCOUNT_FILES: Record<string, string> = {
  'yourlibrary.json': 'your_library',
  'searchqueries.json': 'search_queries',
  'identity.json': 'identity',
  'identifiers.json': 'identifiers',
  'userdata.json': 'userdata',
  'useraddress.json': 'user_address',
  'userattributes.json': 'user_attributes',
  'userprompts.json': 'user_prompts',
  'follow.json': 'follow',
  'inferences.json': 'inferences',
  'marquee.json': 'marquee',
  'payments.json': 'payments',
  'duonewfamily.json': 'duo_new_family',
  'familyplan.json': 'family_plan',
  'messagedata.json': 'message_data',
  'yoursoundcapsule.json': 'your_sound_capsule',
  'tasteprofile.json': 'taste_profile',
  'playlistcreated.json': 'playlist_created',
  'customerservicehistory.json': 'customer_service_history',
  'agentgateway.json': 'agent_gateway',
  'adsidentitysecondpartyidentifiers.json': 'ads_identity_second_party_identifiers',
  'userfestivalsdataforsar.json': 'user_festivals_data_for_sar',
  'podcastinteractivitycomments.json': 'podcast_interactivity_comments',
  'podcastinteractivityratedshow.json': 'podcast_interactivity_rated_show',
  'podcastinteractivityreactions.json': 'podcast_interactivity_reactions',
  'podcastinteractivityvotedpolloption.json': 'podcast_interactivity_voted_poll_option',
};

/** Every account stream: the files above, plus the numbered pages. */
export const ACCOUNT_STREAMS = [...new Set([...Object.values(ACCOUNT_FILES), 'playlist', 'wrapped'])];

const PLAYS: [RegExp, PlayStream][] = [
  [/^streaminghistory(_music_)?\d*\.json$/, 'streaming_history'],
  [/^streaminghistory_podcast_\d+\.json$/, 'streaming_history_podcast'],
  [/^streaminghistory_audiobook_\d+\.json$/, 'streaming_history_audiobook'],
  [/^streaminghistory_video_\d+\.json$/, 'streaming_history_video'],
  [/^streaming_history_audio_.*\.json$/, 'extended_history_audio'],
  [/^endsong_\d+\.json$/, 'extended_history_audio'],
  [/^streaming_history_video_.*\.json$/, 'extended_history_video'],
];

/**
 * What a file is, by its base name (case ignored): a listening history (account data's
 * StreamingHistory*.json, the extended history's Streaming_History_Audio_*.json /
 * Streaming_History_Video_*.json, and the older extended `endsong_N.json`), another account
 * data JSON, any other JSON (a file that is not Spotify's: `other`), or any other file.
 */
export function classifyFile(baseName: string): SpotifyFileKind {
  const name = baseName.toLowerCase();
  for (const [re, stream] of PLAYS) if (re.test(name)) return { type: 'plays', stream };
  if (ACCOUNT_FILES[name]) return { type: 'account', stream: ACCOUNT_FILES[name] };
  if (/^playlist\d+\.json$/.test(name)) return { type: 'account', stream: 'playlist' };
  if (/^wrapped\d{4}\.json$/.test(name)) return { type: 'account', stream: 'wrapped' };
  return name.endsWith('.json') ? { type: 'other_json' } : { type: 'other_file' };
}
