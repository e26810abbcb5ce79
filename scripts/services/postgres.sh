# PostgreSQL for the ledger tests: sourced by scripts/test (see README.md here).
#
# Installs Debian's postgresql when no server binaries are found (as root, non-interactive),
# keeps one cluster under .services/pg (created once, reused), starts it on 127.0.0.1 on a free
# port with trust authentication (loopback only, a throwaway cluster), creates the test database
# and exports NACHA_CS_TEST_PG_URL. The server runs as an unprivileged user: PostgreSQL refuses
# to run as root. Nothing here aborts scripts/test: when PostgreSQL cannot be had, it says why,
# exports nothing, and the tests that need it skip (or fail under CI=true).

_pg_note() { echo "scripts/services/postgres.sh: $*" >&2; }

_pg_bindir() {
    local found
    found=$(command -v pg_ctl 2>/dev/null || true)
    if [ -n "$found" ] && [ -x "$(dirname "$(readlink -f "$found")")/postgres" ]; then
        dirname "$(readlink -f "$found")"
        return 0
    fi
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -n "$found" ] && [ -x "$found/postgres" ]; then
        echo "$found"
        return 0
    fi
    return 1
}

_pg_start() {
    local bindir root data log port user run url
    if ! bindir=$(_pg_bindir); then
        if [ "$(id -u)" != 0 ]; then
            _pg_note "PostgreSQL is not installed and installing it needs root; skipping"
            return 0
        fi
        _pg_note "installing postgresql from Debian's packages"
        if ! { DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
               DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; } >&2; then
            _pg_note "apt-get install postgresql failed"
            return 0
        fi
        bindir=$(_pg_bindir) || { _pg_note "no server binaries after the install"; return 0; }
    fi
    root="$PWD/.services/pg"
    data="$root/data"
    log="$root/server.log"
    mkdir -p "$root"
    run=()
    if [ "$(id -u)" = 0 ]; then
        user=postgres
        if ! id "$user" >/dev/null 2>&1; then
            useradd --system --no-create-home --shell /usr/sbin/nologin "$user" || {
                _pg_note "cannot create the user $user to run the server"
                return 0
            }
        fi
        chown "$user" "$root"
        # The server runs from / (a checkout in a private folder, as mktemp makes, is no
        # directory it may enter), and when it cannot reach the checkout's .services at all
        # the cluster lives in a folder of its own under /tmp, removed when the tests end.
        run=(runuser -u "$user" -- env -C /)
        if ! "${run[@]}" test -w "$root"; then
            root=$(mktemp -d /tmp/nacha-cs-pg.XXXXXX) || { _pg_note "mktemp failed"; return 0; }
            chown "$user" "$root"
            data="$root/data"
            log="$root/server.log"
            STOP_SERVICES+=("rm -rf '$root'")
        fi
    fi
    if [ -f "$data/postmaster.pid" ]; then  # left running by a run that was killed
        "${run[@]}" "$bindir/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
        rm -f "$data/postmaster.pid"
    fi
    if [ ! -f "$data/PG_VERSION" ]; then
        rm -rf "$data"
        if ! "${run[@]}" "$bindir/initdb" -D "$data" -U nacha_cs --auth=trust -E UTF8 \
                --no-locale >"$root/initdb.log" 2>&1; then
            _pg_note "initdb failed; see $root/initdb.log"
            return 0
        fi
    fi
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    # No Unix socket: the cluster is reached on loopback TCP only, at the port chosen above.
    if ! "${run[@]}" "$bindir/pg_ctl" -D "$data" -l "$log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories= -c max_connections=50" \
            start >/dev/null; then
        _pg_note "the server did not start; see $log"
        return 0
    fi
    STOP_SERVICES+=("${run[*]} '$bindir/pg_ctl' -D '$data' -m fast -w stop >/dev/null")
    if ! "$bindir/psql" -h 127.0.0.1 -p "$port" -U nacha_cs -d postgres -qtAc \
            "SELECT 1 FROM pg_database WHERE datname = 'nacha_cs_test'" | grep -q 1; then
        "$bindir/createdb" -h 127.0.0.1 -p "$port" -U nacha_cs nacha_cs_test ||
            { _pg_note "createdb failed"; return 0; }
    fi
    url="postgresql+psycopg://nacha_cs@127.0.0.1:$port/nacha_cs_test"
    export NACHA_CS_TEST_PG_URL="$url"
    _pg_note "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') at $url"
}

_pg_start
unset -f _pg_start _pg_bindir _pg_note
