#!/usr/bin/env bash
# Idempotent setup shared by run.sh and test.sh: venv, Python deps, and the JS runtime from the
# npm registry (Reflex's own bun download needs the open internet): bun installs packages, Node 22
# runs Vite (Reflex wants Node >= 22.22; the machine's may be older). The app migrates its
# database itself when it starts (chatapp/db/schema.py).
# Usage: source scripts/bootstrap.sh [--test]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BUN_VERSION="1.4.4"
NODE_VERSION="22.23.3"
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

fresh() { [[ -f "$1" && ! pyproject.toml -nt "$1" ]]; }
STAMP=".venv/.chatapp-installed${EXTRAS}"
# The test extras include everything the app needs.
if ! fresh "$STAMP" && ! fresh ".venv/.chatapp-installed[test]"; then
  log "installing Python dependencies (pip install -e '.${EXTRAS}')"
  # -qq: errors only. What pip says besides them here is setuptools' note on flat-layout
  # editable installs and this machine's pip config naming absent local index folders.
  python -m pip install -qq --disable-pip-version-check --upgrade pip
  python -m pip install -qq --disable-pip-version-check -e ".${EXTRAS}"
  touch "$STAMP"
fi

TOOLS_BIN="$ROOT/.tools/node_modules/.bin"
if [[ "$("$TOOLS_BIN/bun" --version 2>/dev/null)" != "$BUN_VERSION" ]] \
  || [[ "$("$TOOLS_BIN/node" --version 2>/dev/null)" != "v$NODE_VERSION" ]]; then
  log "installing bun@${BUN_VERSION} and node@${NODE_VERSION} from the npm registry into .tools/"
  npm install --silent --no-audit --no-fund --prefix .tools "bun@${BUN_VERSION}" "node@${NODE_VERSION}"
fi
export PATH="$TOOLS_BIN:$PATH"
# Reflex probes a registry mirror unless told which registry to use.
NPM_CONFIG_REGISTRY="$(npm config get registry 2>/dev/null | tail -n1)"
export NPM_CONFIG_REGISTRY="${NPM_CONFIG_REGISTRY:-https://registry.npmjs.org/}"
export REFLEX_TELEMETRY_ENABLED=false
# Reflex asks PyPI for a newer Reflex at every start; the version is pinned in pyproject.toml.
export REFLEX_CHECK_LATEST_VERSION=false
# pyright asks PyPI for a newer pyright at every run; it is pinned in pyproject.toml and bundles
# its npm package and Node (pyright[nodejs]), so with this it needs no network at all.
export PYRIGHT_PYTHON_IGNORE_WARNINGS=1
