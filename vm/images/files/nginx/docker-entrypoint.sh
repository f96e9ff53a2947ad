#!/bin/sh
# Like the official nginx image's entrypoint: before starting nginx, run the
# configuration scripts in /docker-entrypoint.d/ (*.envsh are sourced, *.sh run),
# then hand over to the command. NGINX_ENTRYPOINT_QUIET_LOGS=1 silences it.
set -e

log() {
    [ -n "${NGINX_ENTRYPOINT_QUIET_LOGS:-}" ] || echo "$@"
}

if [ "$1" = "nginx" ] || [ "$1" = "nginx-debug" ]; then
    scripts=$(find /docker-entrypoint.d/ -follow -type f -print 2>/dev/null | sort -V)
    if [ -n "$scripts" ]; then
        log "$0: /docker-entrypoint.d/ is not empty, will attempt to perform configuration"
        log "$0: Looking for shell scripts in /docker-entrypoint.d/"
        for f in $scripts; do
            case "$f" in
                *.envsh)
                    if [ -x "$f" ]; then log "$0: Sourcing $f"; . "$f"; else log "$0: Ignoring $f, not executable"; fi ;;
                *.sh)
                    if [ -x "$f" ]; then log "$0: Launching $f"; "$f"; else log "$0: Ignoring $f, not executable"; fi ;;
                *) log "$0: Ignoring $f" ;;
            esac
        done
        log "$0: Configuration complete; ready for start up"
    else
        log "$0: No files found in /docker-entrypoint.d/, skipping configuration"
    fi
fi

exec "$@"
