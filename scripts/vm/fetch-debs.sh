#!/bin/bash
# Download the pinned Debian packages named on stdin ("name arch version" lines) into $1.
# apt-get download verifies each .deb against the signed archive index.
set -euo pipefail
dest=$1
mkdir -p "$dest"
cd "$dest"
while read -r name arch version; do
  [ -n "$name" ] || continue
  file="${name}_${version//:/%3a}_${arch}.deb"
  [ -s "$file" ] && continue
  spec="$name:$arch=$version"
  [ "$arch" = all ] && spec="$name=$version"
  echo "  download $spec"
  if ! apt-get download -q "$spec" >/tmp/berth-apt-download.log 2>&1; then
    cat /tmp/berth-apt-download.log >&2
    echo "FAILED: apt-get download $spec (is the version in vm/debian.lock still in the archive? run 'apt-get update' first)" >&2
    exit 1
  fi
done
