#!/usr/bin/env bash
# Runs the three jest projects (unit, integration, e2e); extra arguments go to jest, e.g.
#   bash scripts/test.sh --selectProjects e2e
# `npm test` calls this after lint, typecheck and build: the e2e specs spawn dist/main.js.
set -euo pipefail
cd "$(dirname "$0")/.."

# --- external services ----------------------------------------------------------------------------
# Integration and e2e specs start their own throwaway redis-server on free ports (test/support/
# redis-server.ts), so that they can kill it mid-test. A fresh machine may not have the binary.
if ! command -v redis-server >/dev/null 2>&1; then
  echo "test.sh: installing redis-server with apt-get" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null
fi
# The storage specs start throwaway PostgreSQL servers the same way (test/support/postgres-server.ts:
# initdb into a temp dir, postgres on a free port). Only the binaries are wanted: no Debian cluster
# is created and no service started (policy-rc.d refuses starts while apt-get runs).
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
  echo "test.sh: installing postgresql with apt-get" >&2
  mkdir -p /etc/postgresql-common
  [ -e /etc/postgresql-common/createcluster.conf ] ||
    echo 'create_main_cluster = false' >/etc/postgresql-common/createcluster.conf
  own_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    own_policy=1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    -o Dpkg::Options::=--force-confold postgresql >/dev/null
  if [ "$own_policy" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
fi
# The client's browser e2e spec drives Debian's headless Chromium through playwright-core, which
# never downloads a browser of its own.
if [ ! -x /usr/bin/chromium ]; then
  echo "test.sh: installing chromium with apt-get" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
# ---------------------------------------------------------------------------------------------------

# Each e2e file boots its own service on its own port and temp dirs, so files run in parallel;
# two workers match the two cores of the CI machine.
results=$(mktemp)
results_w2=$(mktemp)
trap 'rm -f "$results" "$results_w2"' EXIT
status=0
node --experimental-vm-modules node_modules/jest/bin/jest.js --maxWorkers=2 --json \
  --outputFile="$results" "$@" || status=$?
# The specs about state that spans processes run once more against WORKERS=2 (a node:cluster
# primary and two workers; README "Workers"): drain, stats, producer streams, sessions and
# revocation, spool and replay, metrics. Only on a whole run (no arguments).
echo '{"numPassedTests":0,"numFailedTests":0,"numPendingTests":0}' >"$results_w2"
if [ "$#" -eq 0 ]; then
  # Paths before --selectProjects, which would take them as project names.
  E2E_WORKERS=2 node --experimental-vm-modules node_modules/jest/bin/jest.js \
    test/e2e/lifecycle.e2e-spec.ts test/e2e/stats.e2e-spec.ts test/e2e/producer-streams.e2e-spec.ts \
    test/e2e/sessions.e2e-spec.ts test/e2e/spool.e2e-spec.ts test/e2e/metrics.e2e-spec.ts \
    --selectProjects e2e --maxWorkers=2 --json --outputFile="$results_w2" || status=$?
fi
# One plain closing line that CI's log reader understands, whatever jest printed above it.
node -e 'const [a, b] = process.argv.slice(1).map((f) => JSON.parse(require("fs").readFileSync(f, "utf8")));
  const n = (k) => a[k] + b[k];
  console.log(`Tests: ${n("numPassedTests")} passed, ${n("numFailedTests")} failed, ${n("numPendingTests")} skipped`);' \
  "$results" "$results_w2" || true
exit "$status"
