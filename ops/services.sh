#!/usr/bin/env bash
# `make services`: install from Debian's packages and start what development and CI use —
# PostgreSQL and Redis on loopback, Debian's Chromium for the browser tests, and an OpenSearch
# node (ops/opensearch/). Every step looks before it acts, so a second run takes seconds.
# `make run` and the SQLite `make test` need none of this.
#
#   ops/services.sh [start] [postgres|redis|chromium|opensearch ...]
#   ops/services.sh stop [opensearch|redis|postgres ...]
set -euo pipefail
cd "$(dirname "$0")/.."

PG_PORT=5432
REDIS_PORT=6379
RUN_DIR=${TMPDIR:-/tmp}/noko-services
export DEBIAN_FRONTEND=noninteractive
apt_updated=

say() { echo "== services: $*"; }

# Installs the Debian packages among "$@" whose files are not there yet.
apt_install() {
    local missing=()
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'ok installed' ||
            missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ -z "$apt_updated" ]; then
        apt-get update -qq
        apt_updated=1
    fi
    say "installing ${missing[*]}"
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

wait_for() { # seconds, then a command that succeeds once the service answers
    local seconds=$1
    shift
    for _ in $(seq 1 "$seconds"); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 1
    done
    return 1
}

start_postgres() {
    apt_install postgresql postgresql-contrib
    local version config hba
    version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
    config=/etc/postgresql/$version/main
    if [ ! -d "$config" ]; then
        say "creating PostgreSQL $version cluster"
        pg_createcluster "$version" main >/dev/null
    fi
    # Loopback only, on the port CI's DATABASE_URL names.
    local wanted="listen_addresses = '127.0.0.1'
port = $PG_PORT"
    local changed=
    if [ "$(cat "$config/conf.d/noko.conf" 2>/dev/null)" != "$wanted" ]; then
        echo "$wanted" >"$config/conf.d/noko.conf"
        changed=1
    fi
    # The role postgres signs in from loopback without a password (CI's
    # postgres://postgres@127.0.0.1:5432/test); these lines go first so they win over the
    # packaged scram-sha-256 ones.
    hba=$config/pg_hba.conf
    if ! grep -q '^# noko: loopback trust' "$hba"; then
        {
            echo '# noko: loopback trust for the role postgres (development and CI only)'
            echo 'host all postgres 127.0.0.1/32 trust'
            echo 'host all postgres ::1/128 trust'
            cat "$hba"
        } >"$hba.new"
        chown --reference="$hba" "$hba.new"
        chmod --reference="$hba" "$hba.new"
        mv "$hba.new" "$hba"
        changed=1
    fi
    if pg_isready -h 127.0.0.1 -p $PG_PORT -q; then
        [ -n "$changed" ] && pg_ctlcluster --skip-systemctl-redirect "$version" main restart
    else
        say "starting PostgreSQL $version"
        pg_ctlcluster --skip-systemctl-redirect "$version" main start
    fi
    wait_for 30 pg_isready -h 127.0.0.1 -p $PG_PORT -q ||
        { say "PostgreSQL did not start"; tail -n 20 "/var/log/postgresql/postgresql-$version-main.log"; exit 1; }
    if ! psql -h 127.0.0.1 -p $PG_PORT -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'test'" | grep -q 1; then
        psql -h 127.0.0.1 -p $PG_PORT -U postgres -qc "CREATE DATABASE test"
    fi
    say "PostgreSQL on 127.0.0.1:$PG_PORT (database test)"
}

redis_answers() { redis-cli -h 127.0.0.1 -p $REDIS_PORT ping | grep -q PONG; }

start_redis() {
    apt_install redis-server
    if ! redis_answers 2>/dev/null; then
        mkdir -p "$RUN_DIR"
        say "starting Redis"
        # A cache and counters only: nothing to persist.
        redis-server --bind 127.0.0.1 --port $REDIS_PORT --daemonize yes --save '' \
            --appendonly no --dir "$RUN_DIR" --pidfile "$RUN_DIR/redis.pid" \
            --logfile "$RUN_DIR/redis.log"
        wait_for 15 redis_answers || { say "Redis did not start"; tail -n 20 "$RUN_DIR/redis.log"; exit 1; }
    fi
    say "Redis on 127.0.0.1:$REDIS_PORT"
}

start_chromium() {
    apt_install chromium
    say "$(chromium --version 2>/dev/null || echo chromium) at /usr/bin/chromium"
}

start_opensearch() {
    # Java and Maven build and run the node; the machines come with them, a bare Debian not.
    command -v java >/dev/null && command -v mvn >/dev/null || apt_install openjdk-17-jdk-headless maven
    bash ops/opensearch/opensearch.sh start
}

stop_postgres() {
    local version
    version=$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1)
    [ -n "$version" ] && pg_isready -h 127.0.0.1 -p $PG_PORT -q &&
        pg_ctlcluster --skip-systemctl-redirect "$version" main stop
    return 0
}

stop_redis() {
    redis_answers 2>/dev/null && redis-cli -h 127.0.0.1 -p $REDIS_PORT shutdown nosave >/dev/null 2>&1
    return 0
}

stop_chromium() { :; }

stop_opensearch() { bash ops/opensearch/opensearch.sh stop; }

action=start
case "${1:-}" in start | stop) action=$1; shift ;; esac
services=("$@")
[ ${#services[@]} -eq 0 ] && services=(postgres redis chromium opensearch)
for service in "${services[@]}"; do
    case "$service" in
        postgres | redis | chromium | opensearch) "${action}_$service" ;;
        *) echo "unknown service: $service (postgres, redis, chromium, opensearch)" >&2; exit 2 ;;
    esac
done
