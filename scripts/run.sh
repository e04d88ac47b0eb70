#!/usr/bin/env bash
# Install everything that is missing and start the app (`reflex run`; it migrates the database).
# Extra arguments go to `reflex run`, e.g. `scripts/run.sh --env prod`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
# Reflex's info lines are about Reflex itself (a first run's web-folder setup even ends with "Run
# `uv run reflex run`"): show its warnings and errors only. REFLEX_LOGLEVEL=info brings them back.
export REFLEX_LOGLEVEL="${REFLEX_LOGLEVEL:-warning}"
log "starting the app: reflex run $* (open the \"App running at\" address when it appears)"
exec reflex run "$@"
