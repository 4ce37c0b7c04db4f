import type { SourceContext } from '@bronze/core';

const displayNames = new WeakMap<SourceContext, Promise<string>>();

/** The account's display name (some endpoints take it in their path): one request per run, shared by its streams. */
export function displayName(ctx: SourceContext): Promise<string> {
  let p = displayNames.get(ctx);
  if (!p) {
    p = ctx.http.json<{ displayName?: string } | null>({ path: 'userprofile-service/socialProfile' }).then((res) => {
      if (!res.body?.displayName) throw new Error('userprofile-service/socialProfile: the answer names no displayName');
      return res.body.displayName;
    });
    // A failed lookup is not cached: the next stream asks again.
    p.catch(() => displayNames.delete(ctx));
    displayNames.set(ctx, p);
  }
  return p;
}
