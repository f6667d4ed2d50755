#!/usr/bin/env bash
# Stops the server scripts/postgres/start.sh started and waits until it has exited. The cluster,
# the certificates and the test user stay in $PG_TEST_DIR, so the next start.sh is quick; delete
# that directory (after stopping) to start from scratch.
set -euo pipefail
DIR="${PG_TEST_DIR:-/tmp/ap-postgres-tls}"
DATA="$DIR/data"

[ -s "$DATA/PG_VERSION" ] || exit 0
BIN="/usr/lib/postgresql/$(cat "$DATA/PG_VERSION")/bin"
# pg_ctl refuses root: as root, act as the cluster's owner (start.sh made it `postgres`).
if [ "$(id -u)" -eq 0 ]; then
  owner="$(stat -c %U "$DATA")"
  as_owner() { runuser -u "$owner" -- "$@"; }
else
  as_owner() { "$@"; }
fi
cd "$DIR"
if as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w -t 60 stop >/dev/null
  echo "stopped postgres ($DATA)"
fi
