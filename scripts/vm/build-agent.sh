#!/bin/bash
# Build the guest agent: a static i386 binary from vm/agent, with Debian's libc6-dev-i386.
# usage: build-agent.sh SRC_DIR OUT_DIR
set -euo pipefail
src=$1 out=$2
mkdir -p "$out"
gcc -m32 -static -Os -s -Wall -Wextra -Werror -Wno-unused-result \
  -o "$out/berth-agent.tmp" "$src/agent.c"
file "$out/berth-agent.tmp" | grep -q 'Intel 80386' || { echo "FAILED: agent is not an i386 binary" >&2; exit 1; }
mv "$out/berth-agent.tmp" "$out/berth-agent"
