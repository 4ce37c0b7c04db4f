#!/usr/bin/env bash
# The Dockerfile's recipe, run without Docker (there may be no engine where CI runs), so a
# broken image recipe fails CI: copy the build context as .dockerignore filters it, then
# the build stage's steps (frozen install, build of the runner and its packages, `pnpm
# deploy --prod`), then the runtime stage's (validation schemas, data/, an unprivileged
# user) and its HEALTHCHECK: `serve` answers 200 on /health.
# Keep this in step with the Dockerfile: each step below names the line it mirrors.
set -euo pipefail
repo=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/bronze-docker-recipe.XXXXXX")
server_pid=""
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf -- "$work"
}
trap cleanup EXIT
step() { printf 'docker-recipe: %s\n' "$*" >&2; }

# COPY . .  (tracked and untracked-but-not-ignored files, minus .dockerignore's patterns)
step "build context"
mkdir -p "$work/src"
ignored='^(\.env(\..*)?|data/.*|configs/credentials/.*|(.*/)?node_modules/.*|(.*/)?dist/.*|(.*/)?\.turbo/.*|coverage/.*|.*\.tgz|bench/results/.*|\.bench-.*)$'
(cd "$repo" && git ls-files -z --cached --others --exclude-standard | grep -zvE "$ignored" | xargs -0 -r cp --parents -t "$work/src")
cp "$repo/.env.example" "$work/src/"  # .dockerignore keeps it (!.env.example)
if [ ! -f "$work/src/Dockerfile" ] || [ ! -f "$work/src/pnpm-lock.yaml" ]; then
  echo "docker-recipe: the build context lacks Dockerfile or pnpm-lock.yaml" >&2
  exit 1
fi

cd "$work/src"
export CI=true
# RUN pnpm install --frozen-lockfile
step "pnpm install --frozen-lockfile"
pnpm install --frozen-lockfile --prefer-offline --reporter=silent
# RUN pnpm turbo run build --filter=@bronze/runner...
step "build the runner and its packages"
pnpm --silent turbo run build --filter=@bronze/runner... --output-logs=errors-only
# RUN pnpm --filter=@bronze/runner deploy --prod /out
step "pnpm deploy --prod"
pnpm --silent --filter=@bronze/runner deploy --prod "$work/out"

# Runtime stage: /app = /out, the validation schemas, a writable data/, user `node` (here: nobody).
step "runtime layout"
app="$work/out"
mkdir -p "$app/configs" "$app/data"
cp -R "$work/src/configs/validation_schemas" "$app/configs/validation_schemas"
[ -f "$app/dist/cli.js" ] || { echo "docker-recipe: $app/dist/cli.js missing (the image's ENTRYPOINT)" >&2; exit 1; }
run_as=()
if [ "$(id -u)" = 0 ]; then
  chown -R nobody:nogroup "$app/data"
  chmod -R a+rX "$work"
  run_as=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
fi

# ENTRYPOINT ["node", "/app/dist/cli.js"]  CMD ["serve", "--host", "0.0.0.0"]  (loopback and a free port here)
port=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
user=$(id -un)
if [ ${#run_as[@]} -gt 0 ]; then user=nobody; fi
step "serve as $user on 127.0.0.1:$port"
(cd "$app" && env -i PATH="$PATH" HOME="$app" NODE_ENV=production BRONZE_HOME="$app" LOG_LEVEL=warn \
  "${run_as[@]}" node "$app/dist/cli.js" serve --host 127.0.0.1 --port "$port") &
server_pid=$!

# HEALTHCHECK: fetch('http://127.0.0.1:8000/health') must answer 2xx.
for _ in $(seq 1 120); do
  if ! kill -0 "$server_pid" 2>/dev/null; then echo "docker-recipe: serve exited before answering /health" >&2; exit 1; fi
  code=$(node -e "fetch('http://127.0.0.1:$port/health').then((r)=>console.log(r.status),()=>console.log(0))")
  if [ "$code" = 200 ]; then step "/health answered 200"; exit 0; fi
  sleep 1
done
echo "docker-recipe: /health did not answer 200 (last: $code)" >&2
exit 1
