#!/bin/bash
# Build the guest's own programs for i386 (Debian's gcc with libc6-dev-i386):
#   berth-agent     static; PID 1 and the host's control channel (vm/guest/agent.c)
#   docker          static; hands a command and its stdio to the engine (vm/guest/docker.c)
#   berth-console   static; relays a container's own pty for crun --console-socket (vm/guest/console.c)
#   libsystemd.so.0 the no-systemd stand-in crun links against (vm/guest/libsystemd-stub.c)
# usage: build-agent.sh SRC_DIR OUT_DIR
set -euo pipefail
src=$1 out=$2
mkdir -p "$out"
gcc -m32 -static -Os -s -Wall -Wextra -Werror -Wno-unused-result \
  -o "$out/berth-agent.tmp" "$src/agent.c"
gcc -m32 -static -Os -s -Wall -Wextra -Werror \
  -o "$out/docker.tmp" "$src/docker.c"
gcc -m32 -static -Os -s -Wall -Wextra -Werror \
  -o "$out/berth-console.tmp" "$src/console.c"
gcc -m32 -shared -fPIC -Os -s -nostdlib -Wall -Wextra -Werror \
  -Wl,-soname,libsystemd.so.0 -Wl,--version-script,"$src/libsystemd.map" \
  -o "$out/libsystemd.so.0.tmp" "$src/libsystemd-stub.c"
for f in berth-agent docker berth-console libsystemd.so.0; do
  file "$out/$f.tmp" | grep -q 'Intel 80386' || { echo "FAILED: $f is not an i386 binary" >&2; exit 1; }
done
mv "$out/libsystemd.so.0.tmp" "$out/libsystemd.so.0"
mv "$out/docker.tmp" "$out/docker"
mv "$out/berth-console.tmp" "$out/berth-console"
mv "$out/berth-agent.tmp" "$out/berth-agent"
