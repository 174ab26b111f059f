#!/usr/bin/env bash
# Runs the three jest projects (unit, integration, e2e); extra arguments go to jest, e.g.
#   bash scripts/test.sh --selectProjects e2e
# `npm test` calls this after lint, typecheck and build: the e2e specs spawn dist/main.js.
set -euo pipefail
cd "$(dirname "$0")/.."

cleanup() {
  # Stop the external services started below (the Redis launcher's stop goes here).
  :
}
trap cleanup EXIT

# --- external services for the integration specs -------------------------------------------------
# The Redis launcher goes here: start a throwaway redis-server on a free port, wait until it
# answers PING, export REDIS_URL for jest, and stop it in cleanup() above.
# -------------------------------------------------------------------------------------------------

# Each e2e file boots its own service on its own port and temp dirs, so files run in parallel;
# two workers match the two cores of the CI machine.
node --experimental-vm-modules node_modules/jest/bin/jest.js --maxWorkers=2 "$@"
