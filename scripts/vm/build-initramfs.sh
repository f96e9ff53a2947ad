#!/bin/bash
# Build the guest initramfs from the pinned Debian i386 packages plus the agent.
# usage: build-initramfs.sh DEB_DIR PACKAGE_LIST_FILE GUEST_PROGRAMS_DIR OUT_DIR WORK_DIR
#   PACKAGE_LIST_FILE: the .deb file names to unpack into the sysroot, one a line.
set -euo pipefail
debs=$1 list=$2 programs=$3 out=$4 work=$5
SR=$work/sysroot R=$work/root
rm -rf "$work"; mkdir -p "$SR" "$R"

while read -r deb; do dpkg-deb -x "$debs/$deb" "$SR"; done < "$list"
# crun's libsystemd is our no-systemd stand-in (vm/guest/libsystemd-stub.c); placing it in
# the sysroot first keeps libsystemd's own dependencies out of the image.
rm -f "$SR"/lib/i386-linux-gnu/libsystemd.so.0* "$SR"/usr/lib/i386-linux-gnu/libsystemd.so.0*
mkdir -p "$SR/lib/i386-linux-gnu"
cp "$programs/libsystemd.so.0" "$SR/lib/i386-linux-gnu/libsystemd.so.0"

mkdir -p "$R"/{bin,sbin,usr/bin,usr/sbin,lib/i386-linux-gnu,etc,proc,sys,dev,tmp,run,mnt,root,var,workspace}
ln -s ../run "$R/var/run" # iproute2 puts netns under /run, crun looks in /var/run

cp "$SR/bin/busybox" "$R/bin/busybox"
for a in $("$R/bin/busybox" --list-full); do
  [ -e "$R/$a" ] || ln -s /bin/busybox "$R/$a"
done

# Resolve a path inside the sysroot, following absolute symlinks relative to the sysroot
# (a plain cp -L would follow them to the build machine's own files).
srpath() {
  local p=$1 n=0 t
  while [ -L "$SR$p" ] && [ $n -lt 20 ]; do
    t=$(readlink "$SR$p")
    case $t in /*) p=$t ;; *) p=$(dirname "$p")/$t ;; esac
    n=$((n + 1))
  done
  echo "$SR$p"
}

cp -L "$(srpath /lib/ld-linux.so.2)" "$R/lib/ld-linux.so.2"
declare -A seen
queue=()
# busybox applets win over $PATH in Debian's busybox-static, so these are called by full path.
for b in usr/bin/crun:usr/bin/crun sbin/ip:usr/sbin/ip sbin/bridge:usr/sbin/bridge usr/sbin/nft:usr/sbin/nft usr/bin/curl:usr/bin/curl; do
  src=$(srpath "/${b%%:*}") dst=$R/${b##*:}
  rm -f "$dst"
  cp -L "$src" "$dst"
  queue+=("$src")
done
while [ ${#queue[@]} -gt 0 ]; do
  f=${queue[0]}
  queue=("${queue[@]:1}")
  for lib in $(readelf -d "$f" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p'); do
    [ -n "${seen[$lib]:-}" ] && continue
    seen[$lib]=1
    p=""
    for d in /lib/i386-linux-gnu /usr/lib/i386-linux-gnu; do
      [ -e "$SR$d/$lib" ] && { p=$(srpath "$d/$lib"); break; }
    done
    [ -n "$p" ] || { echo "FAILED: library $lib (needed by ${f#$SR}) is in no package of vm/debian.lock" >&2; exit 1; }
    cp -L "$p" "$R/lib/i386-linux-gnu/$lib"
    queue+=("$p")
  done
done

# docker run --init: the engine bind-mounts this at /sbin/docker-init (GUEST.init in guest.ts).
mkdir -p "$R/usr/libexec/berth"
cp "$SR/usr/bin/tini-static" "$R/usr/libexec/berth/docker-init"

cp "$programs/berth-agent" "$R/sbin/berth-agent"
cp "$programs/docker" "$R/usr/bin/docker"
cp "$programs/berth-console" "$R/usr/libexec/berth/berth-console"
chmod 755 "$R/sbin/berth-agent" "$R/usr/bin/docker" "$R/usr/libexec/berth/berth-console"
ln -s sbin/berth-agent "$R/init" # the agent sets the machine up itself when run as /init

cat > "$R/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat > "$R/etc/group" <<'EOF'
root:x:0:
tty:x:5:
nogroup:x:65534:
EOF
echo berth > "$R/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tberth\n' > "$R/etc/hosts"
cat > "$R/etc/profile" <<'EOF'
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root
[ -n "$TERM" ] || export TERM=xterm-256color
PS1='\[\e[1;36m\]\h\[\e[0m\]:\[\e[1;34m\]\w\[\e[0m\]# '
alias ip=/usr/sbin/ip
alias ls='ls --color=auto'
EOF

# Every ELF in the image must be i386.
bad=$(find "$R" -type f -exec file {} + | grep ELF | grep -v 'Intel 80386' || true)
[ -z "$bad" ] || { echo "$bad" >&2; echo "FAILED: non-i386 ELF in the initramfs" >&2; exit 1; }

mkdir -p "$out"
(cd "$R" && find . | LC_ALL=C sort | cpio -o -H newc --quiet --reproducible > "$out/initramfs.cpio.tmp")
cp "$R/bin/busybox" "$out/busybox" # the host uses it to make test container rootfs
mv "$out/initramfs.cpio.tmp" "$out/initramfs.cpio"
rm -rf "$work"
