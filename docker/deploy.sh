#!/bin/sh
# Deploy the Retire-Cluster main node with Docker Compose (a NAS, a home server).
# Everything it runs can be redirected for testing: DOCKER (the docker command) and HEALTH_URL.
set -eu

usage() {
  cat <<USAGE
Usage: docker/deploy.sh [--data-path DIR] [--skip-build] [--timeout SECONDS] [--help]

Creates the data directory, fixes its ownership for the container's user, builds the image
(unless --skip-build), starts the main node with docker compose and waits until /health answers.

  --data-path DIR   host directory for the store and tokens (default: RC_DATA_PATH from .env, or ./data)
  --skip-build      use the image already built
  --timeout S       how long to wait for health (default 90)
  --help            this help

Reads .env (copy .env.example). Exit codes: 0 healthy; 1 failed; 2 bad arguments.
USAGE
}

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
env_file="$root/.env"
data_path=""
skip_build=0
timeout=90

while [ $# -gt 0 ]; do
  case "$1" in
    --data-path) [ $# -ge 2 ] || { echo "error: --data-path needs a directory" >&2; exit 2; }; data_path=$2; shift 2 ;;
    --skip-build) skip_build=1; shift ;;
    --timeout) [ $# -ge 2 ] || { echo "error: --timeout needs seconds" >&2; exit 2; }; timeout=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "error: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

case "$timeout" in ''|*[!0-9]*) echo "error: --timeout must be a whole number of seconds" >&2; exit 2 ;; esac

if [ -f "$env_file" ]; then
  set -a
  # shellcheck source=/dev/null
  . "$env_file"
  set +a
fi
data_path=${data_path:-${RC_DATA_PATH:-$root/data}}
http_port=${RC_HTTP_PORT:-8081}
docker=${DOCKER:-docker}
health_url=${HEALTH_URL:-http://127.0.0.1:$http_port/health}

command -v "$docker" >/dev/null 2>&1 || { echo "error: docker is not installed (https://docs.docker.com/engine/install/)" >&2; exit 1; }
if "$docker" compose version >/dev/null 2>&1; then
  compose="$docker compose"
elif command -v docker-compose >/dev/null 2>&1; then
  compose="docker-compose"
else
  echo "error: docker compose is not available" >&2
  exit 1
fi

echo "data directory: $data_path"
mkdir -p "$data_path"
# The container runs as a non-root user; the store must be writable by it.
container_uid=${RC_CONTAINER_UID:-999}
if [ "$(id -u)" = 0 ]; then
  chown -R "$container_uid:$container_uid" "$data_path"
elif [ ! -w "$data_path" ]; then
  echo "warning: $data_path is not writable by you; run as root or fix its ownership" >&2
fi
chmod 700 "$data_path"

export RC_DATA_PATH="$data_path"
compose_file="$here/docker-compose.yml"
if [ "$skip_build" = 0 ]; then
  $compose -f "$compose_file" build
fi
$compose -f "$compose_file" up -d

echo "waiting for $health_url ..."
waited=0
until curl -fsS "$health_url" >/dev/null 2>&1; do
  if [ "$waited" -ge "$timeout" ]; then
    echo "error: the main node did not become healthy within ${timeout}s; see: $compose -f $compose_file logs" >&2
    exit 1
  fi
  sleep 1
  waited=$((waited + 1))
done
echo "healthy: $health_url"
if [ -f "$data_path/join.token" ]; then
  echo "join token: $(cat "$data_path/join.token")"
fi
