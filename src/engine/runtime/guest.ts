// What the engine does inside the VM, through the agent: unpack layers into guest RAM,
// mount a container's overlay rootfs, wire its network namespace to docker0, and run
// crun. Every step is a real process in the guest; nothing here pretends.
import type { ExitStatus, GuestProcess, HostSandbox, ProcessEvents } from "../../sandbox/types";
import { CRUN_ENV } from "../../sandbox/machine";
import { DEFAULT_ENV } from "../../sandbox/env";

/** Guest paths. Layers and container folders live in guest RAM (tmpfs). */
export const GUEST = {
  layers: "/var/lib/berth/layers",
  containers: "/var/lib/berth/containers",
  netns: "/run/netns",
  ip: "/usr/sbin/ip",
  crun: "/usr/bin/crun",
  init: "/usr/libexec/berth/docker-init",
  console: "/usr/libexec/berth/berth-console",
} as const;

export const BRIDGE = { name: "docker0", gateway: "172.17.0.1", prefix: 16, subnet: "172.17.0.0/16" } as const;

/** Safety limits for all containers together, so a fork bomb or a memory hog cannot take the VM down. */
export const PARENT_LIMITS = { pids: 1024, memoryBytes: 400 * 1024 * 1024 } as const;

const ENV = [...DEFAULT_ENV, CRUN_ENV];

export class GuestError extends Error {}

const sh = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * argv for a crun command (`run` or `exec`) whose process gets a pty of its own:
 * berth-console (vm/guest/console.c) takes the pty's master from crun's console socket and
 * relays it to its own stdio, the agent's pty, copying resizes across.
 */
function withConsole(socket: string, crun: string[]): string[] {
  const at = crun.indexOf("--console-socket");
  return [GUEST.console, socket, ...crun.slice(0, at + 1), socket, ...crun.slice(at + 1)];
}

export interface NetworkPlan {
  ip: string;
  mac: string;
  /** The run's network namespace, new for every start as dockerd's sandbox is (netnsPath). */
  sandbox: string;
}

export interface StartPlan {
  id: string;
  /** Layer diff IDs, bottom first. */
  layers: string[];
  configJson: string;
  hostname: string;
  hosts: string;
  resolvConf: string;
  network: NetworkPlan | undefined;
  tty: boolean;
  size?: { rows: number; cols: number };
  /** --rm: the rootfs goes with the run. */
  autoRemove: boolean;
}

export const containerDir = (id: string) => `${GUEST.containers}/${id}`;

/** Shell lines that mount the overlay rootfs of the container folder $d, unless it is mounted. */
export function mountRootfsScript(layers: readonly string[]): string {
  const lower = [...layers].reverse().map((d) => `${GUEST.layers}/${d.slice(7)}`).join(":");
  return `[ -d $d/work ] || mkdir -p $d/upper $d/work $d/rootfs
m=; while read -r _ mp _; do [ "$mp" = $d/rootfs ] && m=1; done < /proc/mounts
[ -n "$m" ] || mount -t overlay overlay -o lowerdir=${lower},upperdir=$d/upper,workdir=$d/work $d/rootfs >&2`;
}
const ENGINE_SHARE = "/mnt/berth/engine";
const exitReport = (id: string) => `exit/${id}`;
/** crun's pid file, in the share so the host sees the start without a guest process. */
const pidFile = (id: string) => `run/${id}.pid`;
/** Where a sandbox's network namespace is mounted; dockerd names it after the sandbox ID. */
export const netnsPath = (sandboxId: string) => `${GUEST.netns}/${sandboxId.slice(0, 12)}`;

export class GuestRuntime {
  private unpacked = new Set<string>();
  private unpacking = new Map<string, Promise<void>>();
  private prepared: Promise<void> | undefined;
  private execs = 0;

  constructor(private readonly vm: HostSandbox) {}

  /** Forget guest state after the VM restarted (its RAM is new). */
  reset(): void {
    this.unpacked.clear();
    this.unpacking.clear();
    this.prepared = undefined;
  }

  async run(argv: string[], stdin?: string): Promise<string> {
    const r = await this.vm.exec(argv, { env: ENV, stdin });
    if (r.code !== 0) throw new GuestError((r.stderr || r.stdout).trim() || `${argv[0]} exited ${r.code ?? `on signal ${r.signal}`}`);
    return r.stdout;
  }

  /** The bridge and the parent cgroup; once per boot. */
  prepare(): Promise<void> {
    this.prepared ??= this.run([
      "sh",
      "-c",
      `set -e
mkdir -p ${GUEST.layers} ${GUEST.containers} ${GUEST.netns} ${ENGINE_SHARE}/exit ${ENGINE_SHARE}/run
if ! [ -e /sys/class/net/${BRIDGE.name} ]; then
  printf 'link add ${BRIDGE.name} type bridge\\naddr add ${BRIDGE.gateway}/${BRIDGE.prefix} dev ${BRIDGE.name}\\nlink set ${BRIDGE.name} up\\n' | ${GUEST.ip} -b -
fi
cg=/sys/fs/cgroup/docker
mkdir -p $cg
echo ${PARENT_LIMITS.pids} > $cg/pids.max
echo ${PARENT_LIMITS.memoryBytes} > $cg/memory.max
echo '+cpu +memory +pids' > $cg/cgroup.subtree_control`,
    ]).then(() => undefined, (e: unknown) => {
      this.prepared = undefined;
      throw e;
    });
    return this.prepared;
  }

  /** Make sure a layer is unpacked in the guest; `tar` gives its uncompressed bytes. */
  async ensureLayer(diffId: string, tar: () => Promise<Uint8Array>): Promise<void> {
    const hex = diffId.slice(7);
    if (this.unpacked.has(hex)) return;
    let p = this.unpacking.get(hex);
    if (!p) {
      p = this.unpack(hex, tar).finally(() => this.unpacking.delete(hex));
      this.unpacking.set(hex, p);
    }
    await p;
  }

  private async unpack(hex: string, tar: () => Promise<Uint8Array>): Promise<void> {
    const file = `layers/${hex}.tar`;
    await this.vm.engineFiles.write(file, await tar());
    const dir = `${GUEST.layers}/${hex}`;
    try {
      // Whiteout files become overlay whiteouts (0/0 character devices).
      await this.run([
        "sh",
        "-c",
        `set -e
d=${dir}
[ -d $d ] && exit 0
rm -rf $d.tmp && mkdir -p $d.tmp
tar -xf /mnt/berth/engine/${file} -C $d.tmp
find $d.tmp -name '.wh.*' ! -name '.wh..wh..opq' | while read -r w; do
  b=\${w##*/}; t=\${w%/*}/\${b#.wh.}; rm -rf "$w" "$t"; mknod "$t" c 0 0
done
find $d.tmp -name '.wh..wh..opq' -exec rm -f {} +
mv $d.tmp $d`,
      ]);
    } finally {
      await this.vm.engineFiles.remove(file).catch(() => {});
    }
    this.unpacked.add(hex);
  }

  /**
   * Mount the rootfs, write the runtime config and the /etc files, set up the network
   * namespace, and run `crun run` as the returned process (its exit is the container's).
   * After crun returns, the same guest process tears the run down and leaves a report in
   * the engine's share, so a container's whole run costs one spawn. The teardown uses shell
   * builtins where it can: each fork and exec costs about 10 ms in the VM.
   */
  async start(plan: StartPlan, events: ProcessEvents): Promise<GuestProcess> {
    const dir = containerDir(plan.id);
    const net = plan.network;
    const ns = net?.sandbox.slice(0, 12) ?? "";
    const veth = `veth${ns.slice(0, 7)}`;
    const netSetup = net
      ? `printf 'netns add ${ns}\\nlink add ${veth} type veth peer name eth0 netns ${ns}\\nlink set ${veth} master ${BRIDGE.name} up\\n' | ${GUEST.ip} -b - >&2
printf 'link set lo up\\nlink set eth0 address ${net.mac}\\naddr add ${net.ip}/${BRIDGE.prefix} dev eth0\\nlink set eth0 up\\nroute add default via ${BRIDGE.gateway}\\n' | ${GUEST.ip} -n ${ns} -b - >&2`
      : "";
    const report = `${ENGINE_SHARE}/${exitReport(plan.id)}`;
    const pids = `${ENGINE_SHARE}/${pidFile(plan.id)}`;
    const crunRun = [GUEST.crun, "--log=$d/crun.log", "run", ...(plan.tty ? ["--console-socket"] : []), "--pid-file", pids, "--bundle", "$d", plan.id];
    const script = `set -e
d=${dir}
${mountRootfsScript(plan.layers)}
printf '%s' "$1" > $d/config.json
printf '%s\\n' "$2" > $d/hostname
printf '%s' "$3" > $d/hosts
printf '%s' "$4" > $d/resolv.conf
: > $d/crun.log
${netSetup}
set +e
oom() { while read -r k v; do [ "$k" = oom_kill ] && o=$v; done < /sys/fs/cgroup/docker/memory.events; }
oom; oom0=$o
${(plan.tty ? withConsole(`/run/berth-console-${plan.id.slice(0, 12)}.sock`, crunRun) : crunRun).join(" ")}
rc=$?
oom
# The report gets crun's log; when crun could not start the process (its log says why), the
# run exits 255 as crun exec does, so the agent keeps crun's line off an attached terminal.
{ echo "before oom_kill $oom0"; echo "after oom_kill $o"; [ -s $d/crun.log ] && while IFS= read -r l || [ -n "$l" ]; do
  echo "log $l"
  [ $rc = 1 ] && case $l in *"executable file \\\`"*|*"open executable: "*) rc=255;; esac
done < $d/crun.log; echo "rc $rc"; } > ${report}
# The client has its exit code as soon as this shell exits; the rest is cleanup nobody waits
# for (its own namespace name and, with --rm, a folder no later run uses).
{
  [ -d /run/crun/${plan.id} ] && ${GUEST.crun} delete -f ${plan.id}
  ${net ? `${GUEST.ip} netns del ${ns}` : ":"}
  [ "$5" = remove ] && { umount $d/rootfs; rm -rf $d; }
} </dev/null >/dev/null 2>&1 &
exit $rc`;
    // The host owns the pid file: a late teardown of an earlier run cannot remove this one's.
    await this.vm.engineFiles.remove(pidFile(plan.id)).catch(() => {});
    return this.vm.spawn(
      {
        argv: ["sh", "-c", script, "sh", plan.configJson, plan.hostname, plan.hosts, plan.resolvConf, plan.autoRemove ? "remove" : "keep"],
        env: ENV,
        pty: plan.tty ? (plan.size ?? { rows: 24, cols: 80 }) : undefined,
      },
      events,
    );
  }

  /** What the run's teardown left: crun's error log and whether the cgroup saw an OOM kill. */
  async exitReport(id: string): Promise<{ crunLog: string; oomKilled: boolean; removed: boolean } | null> {
    const path = exitReport(id);
    let text: string;
    try {
      text = new TextDecoder().decode(await this.vm.engineFiles.read(path));
    } catch {
      return null;
    }
    await this.vm.engineFiles.remove(path).catch(() => {});
    await this.vm.engineFiles.remove(pidFile(id)).catch(() => {});
    const lines = text.split("\n");
    const val = (p: string) => Number(/oom_kill (\d+)/.exec(lines.find((l) => l.startsWith(p)) ?? "")?.[1] ?? 0);
    return {
      crunLog: lines.filter((l) => l.startsWith("log ")).map((l) => l.slice(4)).join("\n"),
      oomKilled: val("after ") > val("before "),
      removed: false,
    };
  }

  /** After the container's process ended (its run already took the network down): the rootfs stays unless removing. */
  async cleanup(id: string, remove: boolean): Promise<void> {
    const d = containerDir(id);
    await this.run([
      "sh",
      "-c",
      `${GUEST.crun} delete -f ${id} >/dev/null 2>&1 || true
${remove ? `umount $1/rootfs 2>/dev/null || true; rm -rf $1` : ""}`,
      "sh",
      d,
    ]);
  }

  kill(id: string, signal: string): Promise<string> {
    return this.run([GUEST.crun, "kill", id, signal]);
  }

  /**
   * The container's pid once crun has created it (crun writes its pid file then), or null
   * if the run ends first. Read from the share on the host: no guest process, no guest CPU.
   */
  async createdPid(id: string, ended: Promise<unknown>): Promise<number | null> {
    let done = false;
    void ended.then(() => (done = true));
    for (;;) {
      const text = await this.vm.engineFiles.read(pidFile(id)).then((b) => new TextDecoder().decode(b), () => "");
      const pid = Number(text.trim());
      if (Number.isInteger(pid) && pid > 0) return pid;
      if (done) return null;
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** crun's state JSON: status and pid. */
  async state(id: string): Promise<{ status: string; pid: number } | null> {
    const r = await this.vm.exec([GUEST.crun, "state", id], { env: ENV });
    if (r.code !== 0) return null;
    try {
      const s = JSON.parse(r.stdout) as { status?: unknown; pid?: unknown };
      return { status: String(s.status), pid: Number(s.pid) || 0 };
    } catch {
      return null;
    }
  }

  pause(id: string): Promise<string> {
    return this.run([GUEST.crun, "pause", id]);
  }

  resume(id: string): Promise<string> {
    return this.run([GUEST.crun, "resume", id]);
  }

  /**
   * `crun exec`: a process in the container's namespaces. The whole process (user and its
   * groups, capabilities, rlimits…) goes in a process.json in the share, as dockerd hands
   * containerd a full process spec; crun's flags cannot carry supplementary groups.
   */
  async exec(id: string, opts: { processJson: string; tty: boolean; size?: { rows: number; cols: number } }, events: ProcessEvents): Promise<GuestProcess> {
    const file = `exec/${id.slice(0, 12)}-${++this.execs}.json`;
    await this.vm.engineFiles.write(file, new TextEncoder().encode(opts.processJson));
    const forget = () => void this.vm.engineFiles.remove(file).catch(() => {});
    const argv = [GUEST.crun, "exec", "--process", `${ENGINE_SHARE}/${file}`];
    let proc: GuestProcess;
    try {
      // With -t the process gets a pty of its own in the container, as in run.
      proc = opts.tty
        ? await this.vm.spawn({ argv: withConsole(`/run/berth-console-exec-${this.execs}.sock`, [...argv, "--tty", "--console-socket", id]), env: ENV, pty: opts.size ?? { rows: 24, cols: 80 } }, events)
        : await this.vm.spawn({ argv: [...argv, id], env: ENV }, events);
    } catch (e) {
      forget();
      throw e;
    }
    void proc.exited.then(forget, forget);
    return proc;
  }

  /** Write a running container's cgroup files (docker update); files the kernel lacks (no swap) are skipped. */
  async writeCgroupFiles(id: string, files: Record<string, string>): Promise<void> {
    const script = `cd /sys/fs/cgroup/docker/$1 || exit 1; shift
while [ $# -gt 1 ]; do [ -e "$1" ] && { echo "$2" > "$1" || exit 1; }; shift 2; done`;
    await this.run(["sh", "-c", script, "sh", id, ...Object.entries(files).flat()]);
  }

  /** Read a cgroup file of a container (memory.current, pids.current, cpu.stat…). */
  async cgroupFiles(id: string, names: string[]): Promise<Record<string, string>> {
    const r = await this.vm.exec(["sh", "-c", `cd /sys/fs/cgroup/docker/${id} 2>/dev/null && for f in ${names.join(" ")}; do echo "== $f"; cat $f 2>/dev/null; done`], { env: ENV });
    const out: Record<string, string> = {};
    for (const part of r.stdout.split("== ").slice(1)) {
      const nl = part.indexOf("\n");
      out[part.slice(0, nl)] = part.slice(nl + 1).trim();
    }
    return out;
  }
}

export const quote = sh;
export type { ExitStatus };
