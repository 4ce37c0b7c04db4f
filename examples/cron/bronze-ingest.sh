#!/bin/sh
# Runs one bronze source from cron: `bronze-ingest.sh SOURCE [ingest flags…]`.
# Exit 75 (another run of the source holds its lock) is not an error under cron: logged,
# exit 0, so cron mails nothing. Any other failure keeps its exit code (cron mails the log).
#   BRONZE_DIR  the bronze checkout (holds .env, data/, configs/)  default: this script's ../..
#   BRONZE_LOG  log directory                                       default: $BRONZE_DIR/data/logs
set -eu

if [ "$#" -lt 1 ]; then
  echo "usage: $0 SOURCE [bronze ingest flags...]" >&2
  exit 2
fi
source_name=$1
shift

script_dir=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
BRONZE_DIR=${BRONZE_DIR:-$(dirname -- "$(dirname -- "$script_dir")")}
BRONZE_LOG=${BRONZE_LOG:-$BRONZE_DIR/data/logs}
mkdir -p -- "$BRONZE_LOG"
log="$BRONZE_LOG/$source_name.log"

# cron's PATH is minimal: add the usual places of node and pnpm.
PATH="$HOME/.local/share/pnpm:/usr/local/bin:/usr/bin:/bin:$PATH"
export PATH

cd -- "$BRONZE_DIR"
status=0
pnpm --silent bronze ingest "$source_name" "$@" >>"$log" 2>&1 || status=$?

case "$status" in
  0) ;;
  75)
    echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $source_name: another run holds the lock; skipped" >>"$log"
    status=0
    ;;
  *)
    echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $source_name: bronze ingest exited $status; see $log" >&2
    tail -n 20 -- "$log" >&2
    ;;
esac
exit "$status"
