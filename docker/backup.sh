#!/bin/sh
# Back up or restore the main node's store using its own consistent online backup.
# Redirectable for testing: CLI (the retire-cluster command), DOCKER.
set -eu

usage() {
  cat <<USAGE
Usage: docker/backup.sh backup  [--dir DIR] [--keep N] [--data-path DIR]
       docker/backup.sh restore FILE [--data-path DIR]
       docker/backup.sh list    [--dir DIR]

backup   writes DIR/retire-cluster-YYYYmmdd-HHMMSS.db while the main node runs, keeps the N newest
restore  puts FILE back into the data directory (the main node must be stopped: docker compose stop)
list     shows the backups, newest first

  --dir DIR        where backups go (default: <data-path>/backups)
  --keep N         how many backups to keep (default 7)
  --data-path DIR  the main node's data directory (default: RC_DATA_PATH from .env, or ./data)

By default it runs the CLI inside the container (docker exec); set CLI to run another one.
Exit codes: 0 done; 1 failed; 2 bad arguments.
USAGE
}

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
if [ -f "$root/.env" ]; then
  set -a
  # shellcheck source=/dev/null
  . "$root/.env"
  set +a
fi

[ $# -ge 1 ] || { usage >&2; exit 2; }
action=$1; shift
file=""
if [ "$action" = restore ]; then
  [ $# -ge 1 ] || { echo "error: restore needs a backup file" >&2; exit 2; }
  file=$1; shift
fi
data_path=${RC_DATA_PATH:-$root/data}
dir=""
keep=7
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) [ $# -ge 2 ] || { echo "error: --dir needs a directory" >&2; exit 2; }; dir=$2; shift 2 ;;
    --keep) [ $# -ge 2 ] || { echo "error: --keep needs a number" >&2; exit 2; }; keep=$2; shift 2 ;;
    --data-path) [ $# -ge 2 ] || { echo "error: --data-path needs a directory" >&2; exit 2; }; data_path=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "error: unknown option $1" >&2; exit 2 ;;
  esac
done
case "$keep" in ''|*[!0-9]*|0) echo "error: --keep must be a whole number >= 1" >&2; exit 2 ;; esac
dir=${dir:-$data_path/backups}

# Inside the container the data dir is /data; outside (CLI set) it is the host path.
if [ -n "${CLI:-}" ]; then
  run_cli() { $CLI "$@"; }
  cli_data=$data_path
  cli_dir=$dir
else
  container=${RC_CONTAINER_NAME:-retire-cluster}
  run_cli() { ${DOCKER:-docker} exec "$container" node src/cli/index.ts "$@"; }
  cli_data=/data
  cli_dir=/data/backups
  case "$dir" in "$data_path"/backups) ;; *) echo "error: with Docker, backups go to <data-path>/backups" >&2; exit 2 ;; esac
fi

# Backup names carry their UTC time, so the newest sort last.
list_backups() {
  for path in "$dir"/retire-cluster-*.db; do
    [ -f "$path" ] && basename "$path"
  done | sort -r
}

case "$action" in
  backup)
    mkdir -p "$dir"
    name="retire-cluster-$(date -u +%Y%m%d-%H%M%S).db"
    run_cli backup --data-dir "$cli_data" --out "$cli_dir/$name"
    # Retention: keep the newest N (names sort by time).
    count=0
    for old in $(list_backups); do
      count=$((count + 1))
      if [ "$count" -gt "$keep" ]; then rm -f "$dir/$old"; echo "removed old backup $old"; fi
    done
    ;;
  restore)
    [ -f "$file" ] || { echo "error: no such backup: $file" >&2; exit 1; }
    if [ -n "${CLI:-}" ]; then
      run_cli restore "$file" --data-dir "$cli_data"
    else
      # The container is stopped for a restore, so run the CLI in a one-off container.
      ${DOCKER:-docker} run --rm -v "$data_path:/data" -v "$(cd "$(dirname "$file")" && pwd):/restore:ro" \
        retire-cluster:latest restore "/restore/$(basename "$file")" --data-dir /data
    fi
    ;;
  list)
    list_backups
    ;;
  *) echo "error: unknown action $action" >&2; usage >&2; exit 2 ;;
esac
