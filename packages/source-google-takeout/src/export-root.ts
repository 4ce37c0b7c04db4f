import { readdirSync } from 'node:fs';
import { folderFacts } from '@bronze/core';

/**
 * Where an export's root is: the folder Google names `Takeout/`, whose children are the
 * product folders. Zip entries and the files of an unpacked folder find it by the same
 * rules, so both give a file the same path (`Takeout/<below the root>`), hence the same ids:
 *
 * 1. by name: the first folder named `Takeout` that is not inside a product folder
 *    (`My Activity/Takeout/` holds the activity of the Takeout product: it is no root);
 * 2. else by what it holds: a zip's top when its entry starts with a product folder or is
 *    `archive_browser.html`; for an unpacked file, the nearest folder above it holding
 *    `archive_browser.html` or two product folders (a folder renamed from `Takeout`).
 *
 * A file with no root is a lone file (`Timeline.json`, a stray `Records.json`).
 */

/** Top-level folders of an English Takeout (one per product). A folder named so is never a root. */
export const PRODUCT_FOLDERS = new Set([
  'Access Log Activity', 'Alerts', 'Android Device Configuration Service', 'Blogger', 'Calendar', 'Chrome', 'Classroom',
  'Contacts', 'Discover', 'Drive', 'Fit', 'Fitbit', 'Gemini', 'Google Account', 'Google Business Profile', 'Google Chat',
  'Google Help Communities', 'Google Meet', 'Google Pay', 'Google Photos', 'Google Play Books', 'Google Play Games Services',
  'Google Play Movies _ TV', 'Google Play Store', 'Google Shopping', 'Google Store', 'Google Workspace Marketplace', 'Groups',
  'Hangouts', 'Home App', 'Keep', 'Location History', 'Location History (Timeline)', 'Mail', 'Maps', 'Maps (your places)',
  'Messages', 'My Activity', 'My Maps', 'News', 'Profile', 'Reminders', 'Saved', 'Search Contributions', 'Street View',
  'Tasks', 'Timeline', 'Voice', 'YouTube and YouTube Music',
]);
const MARKER = 'archive_browser.html';

const segmentsOf = (path: string) => path.replace(/\\/g, '/').split('/');

/** Rule 1: the index of the root `Takeout` segment, or -1. */
function namedRoot(segs: string[]): number {
  return segs.findIndex((s, i) => s === 'Takeout' && i < segs.length - 1 && !PRODUCT_FOLDERS.has(segs[i - 1] ?? ''));
}

/** A zip entry's path from its root on (`Takeout/…`), or undefined when it is in no export layout. */
export function entryPath(name: string): string | undefined {
  const segs = segmentsOf(name).filter((s) => s !== '');
  const at = namedRoot(segs);
  if (at !== -1) return segs.slice(at).join('/');
  if (segs.length > 1 ? PRODUCT_FOLDERS.has(segs[0]) : segs[0] === MARKER) return ['Takeout', ...segs].join('/');
  return undefined;
}

/**
 * Whether a folder holds `archive_browser.html` or two product folders (rule 2), asked by
 * match() and read() for every file of a walk (core's folderFacts: kept a few seconds, so a
 * long-lived `bronze serve` sees a folder the user changed since, and a file keeps its path).
 */
const looksLikeRoot = folderFacts((dir: string): boolean => {
  try {
    const entries = readdirSync(dir || '/', { withFileTypes: true });
    return entries.some((e) => !e.isDirectory() && e.name === MARKER) || entries.filter((e) => e.isDirectory() && PRODUCT_FOLDERS.has(e.name)).length >= 2;
  } catch {
    return false;
  }
});

/** A file of an unpacked export: its path from its root on (`Takeout/…`), or undefined for a lone file. */
export function unpackedPath(path: string): string | undefined {
  const segs = segmentsOf(path);
  const at = namedRoot(segs);
  if (at !== -1) return segs.slice(at).join('/');
  for (let i = segs.length - 2; i >= 1; i--) {
    if (PRODUCT_FOLDERS.has(segs[i])) continue;
    if (looksLikeRoot(segs.slice(0, i + 1).join('/'))) return ['Takeout', ...segs.slice(i + 1)].join('/');
  }
  return undefined;
}
