#!/bin/sh
# The image's entrypoint. The web role (gunicorn) applies the migrations before it starts, unless
# MIGRATE_ON_START=false; the Celery worker and beat, and any other command, are run as given.
set -eu

if [ "${1:-}" = "gunicorn" ] && [ "${MIGRATE_ON_START:-true}" != "false" ]; then
    python manage.py migrate --no-input
fi

exec "$@"
