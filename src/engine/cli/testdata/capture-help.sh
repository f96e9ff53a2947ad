#!/usr/bin/env bash
# Regenerates help-20.10.24.json, the checked-in reference output of the real
# Docker 20.10.24 CLI (Debian's docker.io, /usr/bin/docker) that specs.test.ts
# compares Berth's command declarations against, so the tests need no docker.
#
#   sudo src/engine/cli/testdata/capture-help.sh
#
# The environment is emptied so nothing but the binary shapes the output:
# HOME=/root fixes the --config/--tls* defaults, no DOCKER_* variables (content
# trust, BuildKit, legacy-command hiding), stdin from /dev/null so help wraps at
# 80 columns (docker asks stdin for the terminal width), COLUMNS unset,
# TERM=dumb.
#
# docker hides flags the daemon does not support, so the script starts a
# throwaway default dockerd (non-experimental, Linux, legacy builder), the one
# Berth plays. Without any daemon docker assumes an experimental one and would
# also list `docker build --squash`. Needs root, docker.io and jq.
set -euo pipefail

DOCKER=${DOCKER:-/usr/bin/docker}
DOCKERD=${DOCKERD:-/usr/sbin/dockerd}
here=$(cd "$(dirname "$0")" && pwd)
out="$here/help-20.10.24.json"
tmp=$(mktemp -d)

"$DOCKERD" --data-root "$tmp/root" --exec-root "$tmp/exec" -H "unix://$tmp/docker.sock" \
  --pidfile "$tmp/docker.pid" --storage-driver=vfs --bridge=none --iptables=false --ip6tables=false \
  >"$tmp/dockerd.log" 2>&1 &
dockerd_pid=$!
trap 'kill "$dockerd_pid"; wait "$dockerd_pid" || true; rm -rf "$tmp"' EXIT

run_docker() {
  env -i HOME=/root TERM=dumb PATH=/usr/bin:/bin DOCKER_HOST="unix://$tmp/docker.sock" \
    "$DOCKER" "$@" </dev/null >"$tmp/stdout" 2>"$tmp/stderr"
}

for _ in $(seq 100); do
  run_docker version && break
  sleep 0.1
done
run_docker version || { cat "$tmp/dockerd.log" >&2; echo "capture-help.sh: dockerd did not start" >&2; exit 1; }

version=$(run_docker --version && cat "$tmp/stdout")
case "$version" in
  *" 20.10.24"*) ;;
  *) echo "capture-help.sh: $DOCKER is not Docker 20.10.24: $version" >&2; exit 1 ;;
esac

# Every command Berth declares, with `--help` appended.
help_commands=(
  ""
  run create start stop restart kill rm ps logs exec attach inspect top stats
  pause unpause wait rename cp diff port update commit export import save load
  images rmi tag history pull push login logout search build version info events
  help
  network "network ls" "network create" "network rm" "network inspect"
  "network connect" "network disconnect" "network prune"
  "network list" "network remove"
  volume "volume ls" "volume create" "volume rm" "volume inspect" "volume prune"
  "volume list" "volume remove"
  container "container attach" "container commit" "container cp" "container create"
  "container diff" "container exec" "container export" "container inspect"
  "container kill" "container logs" "container ls" "container pause" "container port"
  "container prune" "container rename" "container restart" "container rm"
  "container run" "container start" "container stats" "container stop" "container top"
  "container unpause" "container update" "container wait"
  "container ps" "container list"
  image "image build" "image history" "image import" "image inspect" "image load"
  "image ls" "image prune" "image pull" "image push" "image rm" "image save" "image tag"
  "image list" "image rmi" "image remove"
  system "system df" "system events" "system info" "system prune"
)

# Command lines whose whole result (stdout, stderr, exit code) the tests
# reproduce: flag and argument errors (including every parse-time value
# check), help, version, unknown commands. None may get as far as the daemon.
# One per line, split on spaces.
cases=$(cat <<'EOF'

--foo
-H
--tls=x ps
-l foo ps
-l foo --bar
-v
--version
-v foo
-v container
-v --help
-h
--help ps
-h ps
-D --foo
foo
foo --bar
foo -D
foo --help
psx
help
help run
help container ls
help container ps
help foo
help foo bar
help run extra
help container foo
help --foo
help -h
container
container foo
container --foo ls
container -D ls
container --help ls
container --help=x ls
container --foo=1 ls
image
image foo
image --foo
network
network foo
volume
system
ps -h
ps a
ps --help extra
run -h
run
run --foo
run -m 1x busybox
run --cpus x busybox
run -p
create
create --foo
start
start --foo
stop
stop --foo
stop -t x a
restart
restart --foo
kill
kill --foo
rm
rm --foo
ps --foo
logs
logs --foo
exec
exec a
exec --foo
attach
attach --foo
inspect
inspect --foo
top
top --foo
stats --foo
pause
pause --foo
unpause
unpause --foo
wait
wait --foo
rename a
rename --foo
cp a
cp --foo
diff
diff --foo
port
port a b c
port --foo
update
update --foo
commit
commit a b c
commit --foo
export
export --foo
import
import --foo
save
save --foo
load a
load --foo
images a b
images --foo
rmi
rmi --foo
tag a
tag --foo
history
history --foo
pull
pull --foo
push
push --foo
login a b
login --foo
logout a b
logout --foo
search
search --foo
build
build --foo
version a
version --foo
info a
info --foo
events a
events --foo
network ls a
network ls --foo
network create
network create --foo
network rm
network rm --foo
network inspect
network inspect --foo
network connect a
network connect --foo
network disconnect a
network disconnect --foo
network prune a
network prune --foo
volume ls a
volume ls --foo
volume create a b
volume create --foo
volume rm
volume rm --foo
volume inspect
volume inspect --foo
volume prune a
volume prune --foo
container attach
container commit --foo
container cp a
container create
container diff --foo
container exec a
container export
container inspect
container kill --foo
container logs
container ls a
container ps --foo
container list a
container pause
container port
container prune a
container prune --foo
container rename --foo
container restart
container rm
container run
container start --foo
container stats --foo
container stop
container top
container unpause --foo
container update
container wait
image build
image history --foo
image import
image inspect
image load a
image ls a b
image list --foo
image prune a
image prune --foo
image pull
image push --foo
image rm
image rmi --foo
image remove
image save
image tag a
system df a
system df --foo
system events a
system info --foo
system prune a
system prune --foo
run --dns 1.2.3 x
run --dns 01.2.3.4 x
run --dns 1:2:3:4:5:6:7:8:9 x
run --dns-search -x x
run --dns-search 123 x
run --dns-search a..b x
run --device-cgroup-rule x x
run --device-read-bps x x
run --device-read-bps /x:1 x
run --device-read-bps /dev/sda:x x
run --device-read-bps /dev/sda:-1 x
run --device-read-iops /dev/sda:x x
run --device-write-iops /dev/sda:1.5 x
run --blkio-weight-device /dev/sda:5 x
run --blkio-weight-device /dev/sda:x x
run --add-host x x
run --add-host a:b x
run --add-host :1.2.3.4 x
run -l =a x
run --link a:b:c x
run --sysctl foo x
run --sysctl foo=1 x
run --ulimit x x
run --ulimit foo=1 x
run --ulimit nofile=x x
run --ulimit nofile= x
run --ulimit nofile=1:2:3 x
run --ulimit nofile=5:2 x
run --ulimit nofile=-1:2 x
run --ulimit nofile=1:x x
run --gpus x x
run --gpus count=x x
run --gpus count=99999999999999999999 x
run --gpus a=b x
run --gpus 1,count=2 x
run --gpus options="a x
run --gpus options= x
run --mount x x
run --mount type=bind x
run --mount type=,target=/x x
run --mount target=/x,foo=bar x
run --mount target=/x,ro=x x
run --mount target=/x,volume-nocopy=x x
run --mount target=/x,tmpfs-size=x x
run --mount target=/x,tmpfs-mode=9 x
run --mount target=/x,bind-propagation=x x
run --mount type=bind,target=/x,volume-driver=x x
run --mount a"b x
run --network a=b x
run --network alias=b x
run --network name=a,driver-opt=b x
run --network name=a,foo x
run --net name=a,x=y x
run --health-interval 1 x
run --stop-timeout x x
run --io-maxbandwidth x x
run -a foo x
run -e =x x
run --cpus 0.0000000001 x
run --blkio-weight 70000 x
create --memory-swap x x
update --memory x c
build -t Foo .
build -t a:b:c .
build -t A/b .
build -t x@sha256:abc .
build --build-arg =x .
build --label =x .
build --add-host x .
build --ulimit x .
network create --label =x n
network connect --link a:b:c n c
volume create --label =x
ps -f x
images -f x
events --filter x
network ls -f x
ps -n x
logs --tail
ps --format
EOF
)

help_json() {
  for c in "${help_commands[@]}"; do
    read -ra argv <<<"$c"
    run_docker "${argv[@]}" --help
    if [ -s "$tmp/stderr" ]; then
      echo "capture-help.sh: docker $c --help wrote to stderr" >&2
      exit 1
    fi
    jq -n --arg key "$(echo "docker $c" | sed 's/ *$//')" --rawfile text "$tmp/stdout" '{($key): $text}'
  done | jq -s 'add'
}

cases_json() {
  while IFS= read -r line; do
    read -ra argv <<<"$line"
    code=0
    run_docker "${argv[@]}" || code=$?
    # jq would read a "--foo" argument as its own option, so pass argv as JSON.
    args=$(if [ ${#argv[@]} -gt 0 ]; then printf '%s\n' "${argv[@]}"; fi | jq -R . | jq -s -c .)
    jq -n --rawfile stdout "$tmp/stdout" --rawfile stderr "$tmp/stderr" --argjson exitCode "$code" --argjson argv "$args" \
      '{argv: $argv, stdout: $stdout, stderr: $stderr, exitCode: $exitCode}'
  done <<<"$cases" | jq -s '.'
}

help_json >"$tmp/help.json"
cases_json >"$tmp/cases.json"
jq -n --arg version "$version" --slurpfile help "$tmp/help.json" --slurpfile cases "$tmp/cases.json" \
  '{comment: "Reference output of the real Docker 20.10.24 CLI, captured by capture-help.sh. Do not edit by hand.", version: $version, help: $help[0], cases: $cases[0]}' >"$out"
echo "wrote $out"
