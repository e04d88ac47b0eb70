#!/usr/bin/env bash
# Idempotent setup shared by run.sh and test.sh: venv, Python deps, bun (from the npm registry,
# since Reflex's own bun download needs the open internet), database migrations.
# Usage: source scripts/bootstrap.sh [--test]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BUN_VERSION="1.4.4"
EXTRAS=""
[[ "${1:-}" == "--test" ]] && EXTRAS="[test]"

log() { printf '\033[1;34m[chatapp]\033[0m %s\n' "$*" >&2; }

PYTHON="${PYTHON:-python3}"
if [[ ! -x .venv/bin/python ]]; then
  log "creating virtualenv in .venv"
  "$PYTHON" -m venv .venv
fi
# shellcheck disable=SC1091
source .venv/bin/activate

STAMP=".venv/.chatapp-installed${EXTRAS}"
if [[ ! -f "$STAMP" || pyproject.toml -nt "$STAMP" ]]; then
  log "installing Python dependencies (pip install -e '.${EXTRAS}')"
  # This machine's pip config names local index folders that may be absent: hide that noise.
  quiet_pip() { python -m pip "$@" 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2); }
  quiet_pip install --quiet --disable-pip-version-check --upgrade pip
  quiet_pip install --quiet --disable-pip-version-check -e ".${EXTRAS}"
  touch "$STAMP"
fi

if [[ ! -x .tools/node_modules/.bin/bun ]] || [[ "$(.tools/node_modules/.bin/bun --version 2>/dev/null)" != "$BUN_VERSION" ]]; then
  log "installing bun@${BUN_VERSION} from the npm registry into .tools/"
  npm install --silent --no-audit --no-fund --prefix .tools "bun@${BUN_VERSION}"
fi
export PATH="$ROOT/.tools/node_modules/.bin:$PATH"
# Reflex probes a registry mirror unless told which registry to use.
NPM_CONFIG_REGISTRY="$(npm config get registry 2>/dev/null | tail -n1)"
export NPM_CONFIG_REGISTRY="${NPM_CONFIG_REGISTRY:-https://registry.npmjs.org/}"
export REFLEX_TELEMETRY_ENABLED=false

log "applying database migrations (alembic upgrade head)"
alembic upgrade head >/dev/null
