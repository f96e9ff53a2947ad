#!/bin/sh
# Like the official image: when the container has IPv6, make the untouched default
# server also listen on [::]:80.
set -e

ME=$(basename "$0")
DEFAULT_CONF_FILE="etc/nginx/conf.d/default.conf"
ORIGINAL_SUM="c1f1e1276dc126b29470e323d1a9786e06f330f547245073710ffa8c4f29d19d"

log() {
    [ -n "${NGINX_ENTRYPOINT_QUIET_LOGS:-}" ] || echo "$@"
}

if [ ! -f "/proc/net/if_inet6" ]; then
    log "$ME: info: ipv6 not available"
    exit 0
fi
if [ ! -f "/$DEFAULT_CONF_FILE" ]; then
    log "$ME: info: /$DEFAULT_CONF_FILE is not a file or does not exist"
    exit 0
fi
touch "/$DEFAULT_CONF_FILE" 2>/dev/null || { log "$ME: info: can not modify /$DEFAULT_CONF_FILE (read-only file system?)"; exit 0; }
log "$ME: info: Getting the checksum of /$DEFAULT_CONF_FILE"
if [ "$(sha256sum "/$DEFAULT_CONF_FILE" | cut -d' ' -f1)" != "$ORIGINAL_SUM" ]; then
    log "$ME: info: /$DEFAULT_CONF_FILE differs from the packaged version"
    exit 0
fi
sed -i -E 's,listen       80;,listen       80;\n    listen  [::]:80;,' "/$DEFAULT_CONF_FILE"
log "$ME: info: Enabled listen on IPv6 in /$DEFAULT_CONF_FILE"
exit 0
