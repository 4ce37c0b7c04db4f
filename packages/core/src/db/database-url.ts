/** DATABASE_URL, else the seed's PG_HOST/PG_PORT/PG_DB/PG_USER/PG_PASS, else undefined. */
export function databaseUrlFromEnv(env: Record<string, string | undefined>): string | undefined {
  if (env.DATABASE_URL?.trim()) return env.DATABASE_URL.trim();
  if (!env.PG_HOST?.trim()) return undefined;
  const u = new URL('postgres://localhost');
  u.hostname = env.PG_HOST.trim();
  u.port = env.PG_PORT?.trim() || '5432';
  u.pathname = `/${encodeURIComponent(env.PG_DB?.trim() || 'bronze')}`;
  if (env.PG_USER) u.username = encodeURIComponent(env.PG_USER);
  if (env.PG_PASS) u.password = encodeURIComponent(env.PG_PASS);
  return u.toString();
}
