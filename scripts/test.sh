#!/usr/bin/env bash
# Install everything that is missing (Python test deps, bun, Debian Chromium) and run the whole
# test suite. Extra arguments go to pytest, e.g. `scripts/test.sh -k tasks`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh" --test

if [[ ! -x /usr/bin/chromium ]]; then
  log "installing Debian's chromium for the browser tests"
  SUDO=""; [[ "$(id -u)" != 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

log "lint: ruff format --check + ruff check"
LINT_PATHS=(chatapp tests alembic/env.py rxconfig.py)
ruff format --check --quiet "${LINT_PATHS[@]}"
ruff check --quiet "${LINT_PATHS[@]}"

log "types: pyright"
pyright chatapp

log "running the test suite"
exec python -m pytest -q -p no:cacheprovider --durations=15 "$@"
