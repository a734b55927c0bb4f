#!/bin/sh
# Watches the main node's /health; after repeated failures restarts its container and tells a webhook.
# Redirectable for testing: DOCKER (the docker command), HEALTH_URL.
set -eu

usage() {
  cat <<USAGE
Usage: docker/health-monitor.sh [--interval S] [--max-failures N] [--webhook URL] [--daemon] [--once]

  --interval S       seconds between checks (default 30)
  --max-failures N   consecutive failures before a restart (default 3)
  --webhook URL      POST a JSON note there on restart and on recovery
  --daemon           run in the background (log to health-monitor.log beside the data)
  --once             check once and exit 0 (healthy) or 1

Reads .env. Exit codes: 0 stopped; 1 --once found it unhealthy; 2 bad arguments.
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
interval=30
max_failures=3
webhook=""
daemon=0
once=0
while [ $# -gt 0 ]; do
  case "$1" in
    --interval) [ $# -ge 2 ] || { echo "error: --interval needs seconds" >&2; exit 2; }; interval=$2; shift 2 ;;
    --max-failures) [ $# -ge 2 ] || { echo "error: --max-failures needs a number" >&2; exit 2; }; max_failures=$2; shift 2 ;;
    --webhook) [ $# -ge 2 ] || { echo "error: --webhook needs a URL" >&2; exit 2; }; webhook=$2; shift 2 ;;
    --daemon) daemon=1; shift ;;
    --once) once=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "error: unknown option $1" >&2; exit 2 ;;
  esac
done
case "$interval" in ''|*[!0-9.]*) echo "error: --interval must be a number of seconds" >&2; exit 2 ;; esac
case "$max_failures" in ''|*[!0-9]*|0) echo "error: --max-failures must be a whole number >= 1" >&2; exit 2 ;; esac

health_url=${HEALTH_URL:-http://127.0.0.1:${RC_HTTP_PORT:-8081}/health}
container=${RC_CONTAINER_NAME:-retire-cluster}
docker=${DOCKER:-docker}

log() { echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $*"; }

notify() {
  [ -n "$webhook" ] || return 0
  curl -fsS -m 10 -H 'content-type: application/json' \
    -d "{\"source\":\"retire-cluster-health-monitor\",\"container\":\"$container\",\"event\":\"$1\",\"detail\":\"$2\"}" \
    "$webhook" >/dev/null 2>&1 || log "webhook $webhook did not answer"
}

healthy() { curl -fsS -m 5 "$health_url" >/dev/null 2>&1; }

if [ "$once" = 1 ]; then
  if healthy; then log "healthy: $health_url"; exit 0; fi
  log "unhealthy: $health_url"
  exit 1
fi

if [ "$daemon" = 1 ]; then
  logfile=${RC_DATA_PATH:-$root/data}/health-monitor.log
  mkdir -p "$(dirname "$logfile")"
  nohup "$0" --interval "$interval" --max-failures "$max_failures" ${webhook:+--webhook "$webhook"} >>"$logfile" 2>&1 &
  echo "health monitor running in the background (pid $!), logging to $logfile"
  exit 0
fi

trap 'log "stopping"; exit 0' INT TERM
failures=0
log "watching $health_url every ${interval}s (restart after $max_failures failures)"
while :; do
  if healthy; then
    if [ "$failures" -ge "$max_failures" ]; then notify recovered "healthy again"; log "recovered"; fi
    failures=0
  else
    failures=$((failures + 1))
    log "health check failed ($failures/$max_failures)"
    if [ "$failures" -eq "$max_failures" ]; then
      log "restarting container $container"
      if "$docker" restart "$container"; then
        notify restarted "restarted after $failures failed health checks"
      else
        notify restart_failed "docker restart $container failed"
      fi
    fi
  fi
  sleep "$interval"
done
