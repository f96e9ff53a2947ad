#!/bin/sh
# Like the official redis image's entrypoint: options alone mean redis-server, and a
# redis-server started as root drops to the redis user after taking over the data dir.
set -e

# first arg is `-f` or `--some-option`, or `something.conf`
if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
	set -- redis-server "$@"
fi

# The official image compiles redis with protected mode off by default, so other
# containers can connect; Debian's build has it on. Turn it off the same way unless the
# command line or the config file given to redis-server says otherwise.
if [ "$1" = 'redis-server' ]; then
	conf=
	case "${2:-}" in -* | '') ;; *) conf=$2 ;; esac
	case " $* " in
		*' --protected-mode '*) ;;
		*) if [ -z "$conf" ] || ! grep -qsE '^[[:space:]]*protected-mode' "$conf"; then
			set -- "$@" --protected-mode no
		fi ;;
	esac
fi

# allow the container to be started with `--user`
if [ "$1" = 'redis-server' ] && [ "$(id -u)" = '0' ]; then
	find . \! -user redis -exec chown redis '{}' +
	exec setpriv --reuid=redis --regid=redis --init-groups "$0" "$@"
fi

# set an appropriate umask (if one isn't set already)
um="$(umask)"
if [ "$um" = '0022' ]; then
	umask 0077
fi

exec "$@"
