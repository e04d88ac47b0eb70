#!/bin/sh
# The container's command: migrate the database, then become the app server.
#   1. alembic upgrade head   (settings come from the environment; prod refuses a weak JWT_SECRET)
#   2. exec reflex run --env prod on $PORT: one port serves the UI, the websocket, the API, /health.
# Extra arguments go to `reflex run`. Run it from anywhere: it works in the app directory.
set -eu

cd "$(dirname "$0")/.."

export CHATAPP_ENV="${CHATAPP_ENV:-prod}"
export REFLEX_TELEMETRY_ENABLED="${REFLEX_TELEMETRY_ENABLED:-false}"
export REFLEX_CHECK_LATEST_VERSION="${REFLEX_CHECK_LATEST_VERSION:-false}"
PORT="${PORT:-8000}"
HOST="${HOST:-0.0.0.0}"

# JSON logs (the prod default, LOG_FORMAT=json): Reflex's own lines become JSON records too,
# while chatapp's already-JSON lines pass through unchanged.
case "${LOG_FORMAT:-}" in
  json) export REFLEX_LOG_JSON="${REFLEX_LOG_JSON:-true}" ;;
  text) ;;
  *) [ "$CHATAPP_ENV" = prod ] && export REFLEX_LOG_JSON="${REFLEX_LOG_JSON:-true}" ;;
esac

say() {
  if [ "${REFLEX_LOG_JSON:-false}" = true ]; then
    printf '{"level": "info", "logger": "chatapp.entrypoint", "message": "%s"}\n' "$1"
  else
    printf '[chatapp] %s\n' "$1"
  fi
}

say "applying database migrations (alembic upgrade head)"
alembic upgrade head

say "starting reflex run --env prod on ${HOST}:${PORT}"
exec reflex run --env prod --backend-port "$PORT" --backend-host "$HOST" "$@"
