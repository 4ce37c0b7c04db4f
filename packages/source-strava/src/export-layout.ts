/**
 * The CSV files of a Strava account export ("Download or Delete Your Account" → Request
 * your archive), as listed in exports from 2019 to 2026. Each lands in the stream
 * `export_<name>`; a CSV not in this list (Strava adds some now and then) lands in
 * `export_other_csv`, with its file name in each row.
 */
export const KNOWN_CSVS = [
  'activities', 'applications', 'bikes', 'blocks', 'clubs', 'comments', 'components', 'connected_apps', 'contacts',
  'email_preferences', 'events', 'favorites', 'flags', 'followers', 'following', 'general_preferences',
  'global_challenges', 'goals', 'group_challenges', 'intercom_tickets', 'kudos', 'local_legend_segments', 'logins',
  'media', 'memberships', 'metering', 'mobile_device_identifiers', 'monthly_recap_achievements', 'orders',
  'partner_opt_outs', 'photos', 'posts', 'privacy_zones', 'profile', 'reactions', 'routes', 'segment_feedback',
  'segments', 'shoes', 'social_settings', 'starred_routes', 'starred_segments', 'structured_details',
  'support_tickets', 'visibility_settings',
] as const;

export type ActivityFormat = 'fit' | 'gpx' | 'tcx';

export type EntryKind =
  | { type: 'csv'; stream: string }
  | { type: 'activity_file'; format: ActivityFormat; gzip: boolean }
  | { type: 'other' };

const KNOWN = new Set<string>(KNOWN_CSVS);

/** `export_activities` for activities.csv; `export_other_csv` for a CSV not in KNOWN_CSVS. */
export function csvStream(stem: string): string {
  return KNOWN.has(stem) ? `export_${stem}` : 'export_other_csv';
}

/**
 * What an entry of the export is, by its path below the export's root: a CSV at the top,
 * an activity or route file (.fit, .gpx, .tcx, gzipped or not) anywhere, or anything else
 * (photos, videos, PDFs, messaging.json, profile.jpg…).
 */
export function classifyEntry(relative: string): EntryKind {
  const lower = relative.toLowerCase();
  const top = !lower.includes('/');
  if (top && lower.endsWith('.csv')) return { type: 'csv', stream: csvStream(lower.slice(0, -4)) };
  const m = /\.(fit|gpx|tcx)(\.gz)?$/.exec(lower);
  if (m) return { type: 'activity_file', format: m[1] as ActivityFormat, gzip: Boolean(m[2]) };
  return { type: 'other' };
}

/** The folder holding activities.csv (or profile.csv): exports are zipped flat or inside one folder. */
export function exportRoot(names: string[]): string {
  const marker = names.find((n) => /(^|\/)activities\.csv$/i.test(n)) ?? names.find((n) => /(^|\/)profile\.csv$/i.test(n));
  return marker ? marker.slice(0, marker.lastIndexOf('/') + 1) : '';
}

/** An entry's path below the export root (entries outside it keep their full name). */
export function relativeTo(root: string, name: string): string {
  return root && name.startsWith(root) ? name.slice(root.length) : name;
}
