#!/bin/sh
# Start Debian's MariaDB in the foreground. The data directory was created when the package was
# installed; the credentials come from the environment and are applied by --init-file before the
# server accepts connections, so overriding them costs nothing at start.
set -eu
q() { printf "%s" "$1" | sed "s/'/''/g"; }
init=/run/mysqld/runbookdocs-init.sql
root=$(q "$MARIADB_ROOT_PASSWORD"); db=$(q "$MARIADB_DATABASE")
user=$(q "$MARIADB_USER"); pass=$(q "$MARIADB_PASSWORD")
cat > "$init" <<SQL
ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('$root');
CREATE USER IF NOT EXISTS 'root'@'%' IDENTIFIED BY '$root';
ALTER USER 'root'@'%' IDENTIFIED BY '$root';
GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;
CREATE DATABASE IF NOT EXISTS \`$db\`;
CREATE USER IF NOT EXISTS '$user'@'%' IDENTIFIED BY '$pass';
ALTER USER '$user'@'%' IDENTIFIED BY '$pass';
GRANT ALL ON \`$db\`.* TO '$user'@'%';
SQL
chown mysql:mysql "$init"
exec mariadbd --user=mysql --init-file="$init"
