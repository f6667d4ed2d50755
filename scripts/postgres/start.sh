#!/usr/bin/env bash
# Starts the loopback PostgreSQL server test/integration/postgres-tls.test.ts connects to, set up
# like RDS with rds.force_ssl=1: TLS only (pg_hba.conf accepts hostssl with scram-sha-256 and
# rejects hostnossl), on 127.0.0.1:${PG_TEST_PORT:-6432}, with a certificate for localhost and
# 127.0.0.1 signed by a private test CA that stands in for the Amazon RDS CA.
# Creates database and user `activepieces` (password ${PG_TEST_PASSWORD:-ap-test-pass}).
# Installs Debian's postgresql and openssl when missing (CI runs as root on Debian). PostgreSQL
# refuses to run as root, so as root the cluster belongs to the package's `postgres` user; as
# any other user it belongs to that user (then only the install needs sudo).
# Idempotent: a server that already accepts the test user over verified TLS is left alone.
# Stop it with scripts/postgres/stop.sh. The defaults must match test/integration/postgres-env.ts.
set -euo pipefail

PORT="${PG_TEST_PORT:-6432}"
PASSWORD="${PG_TEST_PASSWORD:-ap-test-pass}"
DB_NAME="${PG_TEST_DATABASE:-activepieces}"
DB_USER="${PG_TEST_USER:-activepieces}"
DIR="${PG_TEST_DIR:-/tmp/ap-postgres-tls}"
DATA="$DIR/data"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else echo "scripts/postgres/start.sh: need root (or sudo) to run: $*" >&2; return 1
  fi
}

# Debian puts each major version's server in /usr/lib/postgresql/<major>/bin (not on PATH);
# take the newest one that has a server.
pg_bin() {
  local d
  for d in $(ls -1 /usr/lib/postgresql 2>/dev/null | sort -V -r); do
    if [ -x "/usr/lib/postgresql/$d/bin/postgres" ] && [ -x "/usr/lib/postgresql/$d/bin/initdb" ]; then
      echo "/usr/lib/postgresql/$d/bin"; return 0
    fi
  done
  return 1
}

if ! pg_bin >/dev/null || ! command -v openssl >/dev/null 2>&1; then
  echo "installing postgresql and openssl from the Debian packages"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  # A policy-rc.d answering 101 keeps the package from starting the `main` cluster it creates on
  # 5432 (that cluster stays stopped and unused); one that is already there is left as it is.
  made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    as_root sh -c 'printf "#!/bin/sh\nexit 101\n" > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d'
    made_policy=1
  fi
  as_root apt-get install -y -qq --no-install-recommends postgresql openssl >/dev/null
  if [ "$made_policy" -eq 1 ]; then as_root rm -f /usr/sbin/policy-rc.d; fi
fi
BIN="$(pg_bin)" || { echo "scripts/postgres/start.sh: no PostgreSQL server under /usr/lib/postgresql/*/bin" >&2; exit 1; }

# Who owns and runs the cluster: initdb and postgres refuse root.
if [ "$(id -u)" -eq 0 ]; then
  OWNER=postgres
  as_owner() { runuser -u postgres -- "$@"; }
else
  OWNER="$(id -un)"
  as_owner() { "$@"; }
fi

mkdir -p "$DIR"
chmod 755 "$DIR"
# Test files may call this script in parallel: one at a time makes the certificates and the cluster.
exec 9>"$DIR/.lock"
if ! flock -w 120 9; then
  echo "scripts/postgres/start.sh: another start still holds $DIR/.lock after 120 s" >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then chown "$OWNER:" "$DIR"; fi
# The server and the owner's commands run from here: root's working directory may be closed to them.
cd "$DIR"

# Verified TLS as the test user, the way the app connects (sslmode=verify-full checks the chain
# against ca.crt and the name 127.0.0.1 against the certificate); prints t when the session is TLS.
ready() {
  PGPASSWORD="$PASSWORD" PGCONNECT_TIMEOUT=3 "$BIN/psql" -X -q -A -t \
    "host=127.0.0.1 port=$PORT dbname=$DB_NAME user=$DB_USER sslmode=verify-full sslrootcert=$DIR/ca.crt" \
    -c "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()" 2>/dev/null
}

# The private test CA and the server certificate it signs. The server presents the chain
# (leaf + CA, server-chain.crt) as RDS presents its chain up to the root, so a client that does
# not trust the CA fails the same way it does against RDS. New ones (missing, or expiring within
# a day) are picked up by a running server on reload.
certs_changed=0
if [ ! -s "$DIR/ca.crt" ] || [ ! -s "$DIR/server.key" ] || [ ! -s "$DIR/server-chain.crt" ] \
  || ! openssl x509 -checkend 86400 -noout -in "$DIR/ca.crt" >/dev/null 2>&1 \
  || ! openssl x509 -checkend 86400 -noout -in "$DIR/server.crt" >/dev/null 2>&1; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 825 \
    -keyout "$DIR/ca.key" -out "$DIR/ca.crt" \
    -subj "/CN=ActivePieces test Postgres CA" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" >/dev/null 2>&1
  openssl req -newkey rsa:2048 -nodes -keyout "$DIR/server.key" -out "$DIR/server.csr" \
    -subj "/CN=localhost" >/dev/null 2>&1
  printf '%s\n' "subjectAltName=DNS:localhost,IP:127.0.0.1" "basicConstraints=critical,CA:FALSE" \
    "keyUsage=critical,digitalSignature,keyEncipherment" "extendedKeyUsage=serverAuth" > "$DIR/server.ext"
  openssl x509 -req -in "$DIR/server.csr" -CA "$DIR/ca.crt" -CAkey "$DIR/ca.key" -CAcreateserial \
    -days 825 -sha256 -extfile "$DIR/server.ext" -out "$DIR/server.crt" >/dev/null 2>&1
  cat "$DIR/server.crt" "$DIR/ca.crt" > "$DIR/server-chain.crt"
  rm -f "$DIR/server.csr" "$DIR/server.ext"
  certs_changed=1
fi
# The CA certificate is public (any test user reads it); the keys are the server owner's alone,
# as postgres requires of ssl_key_file.
chmod 644 "$DIR/ca.crt" "$DIR/server.crt" "$DIR/server-chain.crt"
chmod 600 "$DIR/ca.key" "$DIR/server.key"
if [ "$(id -u)" -eq 0 ]; then chown "$OWNER:" "$DIR/ca.key" "$DIR/server.key"; fi

if [ "$certs_changed" -eq 0 ] && [ "$(ready || true)" = "t" ]; then
  echo "postgres ready: 127.0.0.1:$PORT TLS only, database $DB_NAME, user $DB_USER (CA $DIR/ca.crt)"
  exit 0
fi

if [ ! -s "$DATA/PG_VERSION" ]; then
  rm -rf "$DATA"
  as_owner "$BIN/initdb" -D "$DATA" -U "$OWNER" -E UTF8 --locale=C.UTF-8 \
    --auth-local=peer --auth-host=reject >/dev/null
fi

# Settings in their own file, rewritten every time so PG_TEST_PORT and the paths always apply.
# The unix socket lives in $DIR (the package's /var/run/postgresql is closed to other users); it
# is only for this script's setup, as the cluster owner (peer).
as_owner sh -c "cat > '$DATA/ap-test.conf'" <<EOF
# Written by scripts/postgres/start.sh: TLS-only loopback server like RDS with rds.force_ssl=1.
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DIR'
ssl = on
ssl_cert_file = '$DIR/server-chain.crt'
ssl_key_file = '$DIR/server.key'
ssl_min_protocol_version = 'TLSv1.2'
password_encryption = 'scram-sha-256'
# Throwaway test data: no need to wait for the disk.
fsync = off
EOF
if ! grep -q "^include_if_exists = 'ap-test.conf'" "$DATA/postgresql.conf"; then
  as_owner sh -c "echo \"include_if_exists = 'ap-test.conf'\" >> '$DATA/postgresql.conf'"
fi
# First match wins: the owner over the socket; TCP only over TLS with a SCRAM password; any TCP
# connection without TLS is rejected, as RDS does with rds.force_ssl=1.
as_owner sh -c "cat > '$DATA/pg_hba.conf'" <<EOF
# Written by scripts/postgres/start.sh
# TYPE     DATABASE  USER      ADDRESS       METHOD
local      all       $OWNER                  peer
hostssl    all       all       127.0.0.1/32  scram-sha-256
hostnossl  all       all       0.0.0.0/0     reject
hostnossl  all       all       ::/0          reject
EOF

# Running on another port (PG_TEST_PORT changed) needs a restart; otherwise a reload picks up
# pg_hba.conf and new certificates. pg_ctl start copes with a stale postmaster.pid.
running_port() { sed -n 4p "$DATA/postmaster.pid" 2>/dev/null || true; }
# The server must not inherit fd 9 (`9>&-`), or it would hold the lock for as long as it runs.
if as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  if [ "$(running_port)" != "$PORT" ]; then
    as_owner "$BIN/pg_ctl" -D "$DATA" -l "$DIR/postgres.log" -m fast -w -t 60 restart >/dev/null 9>&-
  else
    as_owner "$BIN/pg_ctl" -D "$DATA" reload >/dev/null
  fi
else
  as_owner "$BIN/pg_ctl" -D "$DATA" -l "$DIR/postgres.log" -w -t 60 start >/dev/null 9>&-
fi

# The test user and database; the password is set every time so PG_TEST_PASSWORD always applies.
as_owner "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$DIR" -p "$PORT" -U "$OWNER" -d postgres \
  -v user="$DB_USER" -v pw="$PASSWORD" -v db="$DB_NAME" >/dev/null <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'user') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'user') \gexec
ALTER ROLE :"user" WITH LOGIN PASSWORD :'pw';
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'user') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SQL

for _ in $(seq 1 100); do
  if [ "$(ready || true)" = "t" ]; then
    echo "postgres ready: 127.0.0.1:$PORT TLS only, database $DB_NAME, user $DB_USER (CA $DIR/ca.crt)"
    exit 0
  fi
  sleep 0.1
done

echo "scripts/postgres/start.sh: postgres did not accept $DB_USER over verified TLS within 10 s" >&2
tail -n 20 "$DIR/postgres.log" >&2 2>/dev/null || true
exit 1
