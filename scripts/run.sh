#!/usr/bin/env bash
# Install everything that is missing, migrate the database, and start the app (`reflex run`).
# Extra arguments go to `reflex run`, e.g. `scripts/run.sh --env prod`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
log "starting the app: open http://localhost:3000"
exec reflex run "$@"
