#!/bin/sh
# Start Debian's PostgreSQL cluster in the foreground. The password and database are applied in
# single-user mode only when they differ from the ones already set (a stamp file), so the usual
# start is just the server's own start.
set -eu
conf=$(ls -d /etc/postgresql/*/main)
bin=$(ls -d /usr/lib/postgresql/*/bin)
data=$(ls -d /var/lib/postgresql/*/main)
stamp="$data/runbookdocs.stamp"
single() {
    su postgres -s /bin/sh -c \
        "$bin/postgres --single -D $data -c config_file=$conf/postgresql.conf postgres" \
        >/dev/null 2>&1 || true
}
want=$(printf '%s\n%s' "$POSTGRES_PASSWORD" "$POSTGRES_DB" | md5sum | cut -c1-32)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    pass=$(printf "%s" "$POSTGRES_PASSWORD" | sed "s/'/''/g")
    db=$(printf "%s" "$POSTGRES_DB" | sed 's/"/""/g')
    echo "ALTER USER postgres PASSWORD '$pass';" | single
    # An existing database makes this fail harmlessly.
    echo "CREATE DATABASE \"$db\";" | single
    echo "$want" > "$stamp"
fi
[ "${1:-}" = --setup ] && exit 0
mkdir -p /run/postgresql && chown postgres:postgres /run/postgresql
exec su postgres -s /bin/sh -c "exec $bin/postgres -D $data -c config_file=$conf/postgresql.conf"
