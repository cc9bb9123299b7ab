#!/bin/sh
set -e
nginx
exec /usr/bin/supervisord -n -c /etc/supervisor/supervisord.conf
