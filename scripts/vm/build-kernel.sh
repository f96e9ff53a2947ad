#!/bin/bash
# Build the guest kernel: Debian's linux-source, `tinyconfig` plus vm/kernel.config.
# usage: build-kernel.sh LINUX_SOURCE_DEB FRAGMENT OUT_DIR WORK_DIR
set -euo pipefail
deb=$1 fragment=$2 out=$3 work=$4
export ARCH=i386
rm -rf "$work"; mkdir -p "$work/src" "$work/obj"
echo "  unpack $(basename "$deb")"
dpkg-deb -x "$deb" "$work/deb"
tar -C "$work/src" -xf "$work"/deb/usr/src/linux-source-*.tar.xz --strip-components=1
rm -rf "$work/deb"
cd "$work/src"
make O="$work/obj" tinyconfig >/dev/null
scripts/kconfig/merge_config.sh -m -O "$work/obj" "$work/obj/.config" "$fragment" >/dev/null
make O="$work/obj" olddefconfig >/dev/null
# An option that did not stick means the fragment asks for something this kernel cannot do.
missing=0
while read -r line; do
  case "$line" in
    CONFIG_*=*) grep -qx "$line" "$work/obj/.config" || { echo "  kernel option did not stick: $line" >&2; missing=1; } ;;
  esac
done < "$fragment"
[ $missing = 0 ] || { echo "FAILED: vm/kernel.config asks for options linux-source cannot set" >&2; exit 1; }
echo "  make bzImage (-j$(nproc)); this takes a few minutes"
make O="$work/obj" -j"$(nproc)" bzImage > "$work/make.log" 2>&1 || { tail -30 "$work/make.log" >&2; echo "FAILED: kernel make" >&2; exit 1; }
mkdir -p "$out"
cp "$work/obj/arch/x86/boot/bzImage" "$out/bzImage.tmp"
cp "$work/obj/.config" "$out/config"
mv "$out/bzImage.tmp" "$out/bzImage"
rm -rf "$work"
