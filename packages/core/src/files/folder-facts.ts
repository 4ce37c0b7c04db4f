/** How long a fact about a folder is kept, and how many folders are kept at most. */
export interface FolderFactsOptions {
  /** 5 s by default: one run's walk asks thousands of times, a later run of `bronze serve` asks afresh. */
  keepMs?: number;
  /** 10,000 by default; past it every fact is dropped at once (a walk of a huge tree stays bounded). */
  maxFolders?: number;
}

/**
 * A source's question about a folder (does it hold `activities.csv`? a `DI_CONNECT/` folder?
 * which names does it list?), answered once per folder for a few seconds. A folder walk asks
 * the same question of the same ancestors for each of its thousands of files; a long-lived
 * process (`bronze serve`) must see a folder the user changed since the last run, or the same
 * file could be read as part of an export one run and alone the next, under another id.
 */
export function folderFacts<T>(look: (dir: string) => T, options: FolderFactsOptions = {}): (dir: string) => T {
  const keepMs = options.keepMs ?? 5_000;
  const maxFolders = options.maxFolders ?? 10_000;
  const known = new Map<string, { at: number; fact: T }>();
  return (dir) => {
    const now = Date.now();
    const seen = known.get(dir);
    if (seen && now - seen.at < keepMs) return seen.fact;
    if (known.size >= maxFolders) known.clear();
    const fact = look(dir);
    known.set(dir, { at: now, fact });
    return fact;
  };
}
