// Daemon-side rules that dockerd 20.10 applies and a quick look at Berth could miss: the
// --pid modes, the default swap limit of -m, and a SIGKILL that returns once the exit is recorded.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootNodeVm } from "../sandbox/node";
import type { Vm } from "../sandbox/vm";
import type { Daemon } from "./daemon";
import { tearDown } from "./testing/tear-down";
import { startNodeEngine } from "./node";

let vm: Vm;
let dataDir: string;
let daemon: Daemon;

const sh = (script: string, timeoutMs = 60000) => vm.exec(["sh", "-c", script], { timeoutMs });
/** A command's exit code and stderr, to compare with what Docker gives. */
const failure = async (script: string) => {
  const r = await sh(script);
  return [r.code, r.stderr];
};

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "berth-parity-"));
  vm = await bootNodeVm();
  daemon = await startNodeEngine(vm, { dataDir });
  await sh("docker pull busybox >/dev/null 2>&1");
}, 120000);

afterAll(async () => {
  await tearDown(vm, daemon, dataDir);
});

describe("--pid", () => {
  it("host shares the VM's processes; the default sees only its own", async () => {
    // The agent is the VM's PID 1 (/init).
    const host = await sh("docker run --rm --pid host busybox ps -o pid,comm");
    expect(host.stdout).toMatch(/^ +1 init$/m);
    const own = await sh("docker run --rm busybox ps -o pid,comm");
    expect(own.stdout).toMatch(/^PID +COMMAND\n +1 ps\n$/);
    expect((await sh("docker create --name pidhost --pid host busybox && docker inspect -f '{{.HostConfig.PidMode}}' pidhost && docker rm pidhost")).stdout).toMatch(/\nhost\npidhost\n$/);
  }, 60000);

  it("container:<name> joins that container's namespace, kept by ID", async () => {
    const id = (await sh("docker run -d --name pidsrc busybox sleep 1000")).stdout.trim();
    const r = await sh("docker run --name pidjoin --pid container:pidsrc busybox ps -o pid,comm");
    expect(r.stdout).toMatch(/^PID +COMMAND\n +1 sleep\n +\d+ ps\n$/);
    expect((await sh("docker inspect -f '{{.HostConfig.PidMode}}' pidjoin")).stdout).toBe(`container:${id}\n`);
    // The other container stopped, then gone: dockerd's start errors, and exit code 128 recorded.
    await sh("docker stop -t 0 pidsrc");
    expect(await failure("docker start pidjoin")).toEqual([1, `Error response from daemon: container ${id} is not running\nError: failed to start containers: pidjoin\n`]);
    expect((await sh("docker inspect -f '{{.State.ExitCode}} {{.State.Error}}' pidjoin")).stdout).toBe(`128 container ${id} is not running\n`);
    await sh("docker rm pidsrc");
    const gone = await sh("docker start pidjoin");
    expect(gone.stderr).toBe(`Error response from daemon: cannot join PID of a non running container: ${id}: No such container: ${id}\nError: failed to start containers: pidjoin\n`);
    await sh("docker rm pidjoin");
    // Bad modes: the client's check, and the daemon's for a container that does not exist.
    expect(await failure("docker create --pid bogus busybox")).toEqual([125, "docker: --pid: invalid PID mode.\nSee 'docker create --help'.\n"]);
    const missing = await sh("docker create --pid container:nope busybox");
    expect(missing.stderr).toBe("Error response from daemon: No such container: nope\n");
  }, 90000);
});

describe("memory and swap limits", () => {
  it("-m alone allows as much swap again, so docker update -m can raise it", async () => {
    const id = (await sh("docker run -d --name mem -m 32m busybox sleep 1000")).stdout.trim();
    const limits = () => sh(`docker inspect -f '{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}}' mem; cat /sys/fs/cgroup/docker/${id}/memory.max /sys/fs/cgroup/docker/${id}/memory.swap.max`);
    expect((await limits()).stdout).toBe("33554432 67108864\n33554432\n33554432\n");
    const up = await sh("docker update -m 64m mem");
    expect([up.code, up.stdout, up.stderr]).toEqual([0, "mem\n", ""]);
    // The swap limit stays: memory and memory+swap are now equal, so no swap is left.
    expect((await limits()).stdout).toBe("67108864 67108864\n67108864\n0\n");
    const over = await sh("docker update -m 200m mem");
    expect(over.stderr).toBe(`Error response from daemon: Cannot update container ${id}: Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time\n`);
    await sh("docker rm -f mem");
  }, 60000);

  it("--memory-swap is applied, and checked as dockerd checks it at create", async () => {
    const r = await sh("docker run --rm -m 32m --memory-swap 48m busybox cat /sys/fs/cgroup/memory.swap.max");
    expect(r.stdout).toBe("16777216\n");
    expect(await failure("docker run --rm -m 32m --memory-swap 16m busybox true")).toEqual([125, "docker: Error response from daemon: Minimum memoryswap limit should be larger than memory limit, see usage.\nSee 'docker run --help'.\n"]);
    expect(await failure("docker create --memory-swap 48m busybox")).toEqual([1, "Error response from daemon: You should always set the Memory limit when using Memoryswap limit, see usage\n"]);
  }, 60000);
});

describe("docker kill", () => {
  it("with SIGKILL returns once the exit is recorded; other signals return at once", async () => {
    for (let i = 0; i < 3; i++) {
      const r = await sh(`docker run -d --name k${i} busybox sleep 1000 >/dev/null && docker kill k${i} && docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' k${i}`);
      expect(r.stdout).toBe(`k${i}\nexited 137\n`);
    }
    // PID 1 without a handler ignores SIGTERM: kill -s TERM returns and it runs on.
    const term = await sh("docker run -d --name kterm busybox sleep 1000 >/dev/null && docker kill -s TERM kterm && docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' kterm");
    expect(term.stdout).toBe("kterm\nrunning 0\n");
    await sh("docker rm -f k0 k1 k2 kterm");
  }, 60000);
});

describe("cgroup and process settings of run/create", () => {
  it("applies CPU shares, CFS period and quota, the memory soft limit, the OOM score and the NIS domain name", async () => {
    const r = await sh(
      "docker run --rm --cpu-shares 512 --cpu-period 50000 --cpu-quota 25000 --memory-reservation 16m --oom-score-adj 500 --domainname example.test busybox " +
        "sh -c 'cat /sys/fs/cgroup/cpu.weight /sys/fs/cgroup/cpu.max /sys/fs/cgroup/memory.low /proc/self/oom_score_adj /proc/sys/kernel/domainname'",
    );
    // crun's shares → weight: 1 + (512 - 2) × 9999 / 262142.
    expect([r.code, r.stdout, r.stderr]).toEqual([0, "20\n25000 50000\n16777216\n500\nexample.test\n", ""]);
  }, 60000);

  it("drops with dockerd's warnings what the VM's cgroup v2 kernel lacks", async () => {
    const r = await sh("docker create --name warned --memory-swappiness 10 --oom-kill-disable --cpuset-cpus 0 --blkio-weight 500 busybox");
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      [
        "WARNING: Your kernel does not support memory swappiness capabilities or the cgroup is not mounted. Memory swappiness discarded.",
        "WARNING: Your kernel does not support OomKillDisable. OomKillDisable discarded.",
        "WARNING: Your kernel does not support cpuset or the cgroup is not mounted. Cpuset discarded.",
        "WARNING: Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.",
        "",
      ].join("\n"),
    );
    const hc = await sh("docker inspect -f '{{json .HostConfig.MemorySwappiness}} {{json .HostConfig.OomKillDisable}} [{{.HostConfig.CpusetCpus}}] {{.HostConfig.BlkioWeight}}' warned");
    expect(hc.stdout).toBe("null null [] 0\n");
    // docker update prints the daemon's warnings on stdout, after the names.
    const up = await sh("docker update --cpuset-cpus 0 warned");
    expect([up.code, up.stdout]).toEqual([0, "warned\nYour kernel does not support cpuset or the cgroup is not mounted. Cpuset discarded.\n"]);
    await sh("docker rm warned");
  }, 60000);

  it("refuses bad values as the CLI and dockerd do, and flags Berth cannot honour yet", async () => {
    const cases: [string, number, string][] = [
      ["docker run --memory-swappiness 101 busybox", 125, "docker: invalid value: 101. Valid memory swappiness range is 0-100.\nSee 'docker run --help'.\n"],
      ["docker create --oom-score-adj 2000 busybox", 1, "Error response from daemon: Invalid value 2000, range for oom score adj is [-1000, 1000]\n"],
      ["docker create --cpu-rt-runtime 5000 busybox", 1, "Error response from daemon: Your kernel does not support CPU real-time scheduler\n"],
      ["docker create --runtime runc busybox", 1, "Error response from daemon: Unknown runtime specified runc\n"],
      ["docker create --isolation hyperv busybox", 1, "Error response from daemon: Invalid isolation: \"hyperv\" - linux only supports 'default'\n"],
      ["docker create --pull sometimes busybox", 125, "docker: invalid pull option: 'sometimes': must be one of \"always\", \"missing\" or \"never\".\nSee 'docker create --help'.\n"],
      ["docker run --pull never nosuchimage", 125, "docker: Error response from daemon: No such image: nosuchimage:latest.\nSee 'docker run --help'.\n"],
      // Checked before the image is looked for: nothing is pulled.
      ["docker run -m 1m nosuchimage", 125, "docker: Error response from daemon: Minimum memory limit allowed is 6MB.\nSee 'docker run --help'.\n"],
      ["docker run -p 8080:80 busybox", 125, "docker: Berth does not support --publish yet.\nSee 'docker run --help'.\n"],
    ];
    for (const [cmd, code, stderr] of cases) {
      const r = await sh(cmd);
      expect([cmd, r.code, r.stderr]).toEqual([cmd, code, stderr]);
    }
    expect((await sh("docker ps -aq")).stdout).toBe("");
  }, 60000);
});

describe("--expose and the flags with one mode in Berth", () => {
  it("records exposed ports and ranges as the CLI parses them", async () => {
    const r = await sh("docker create --name exposed --expose 80 --expose 8000-8002/udp busybox && docker inspect -f '{{json .Config.ExposedPorts}}' exposed && docker rm exposed");
    expect(r.stdout).toMatch(/\n\{"80\/tcp":\{\},"8000\/udp":\{\},"8001\/udp":\{\},"8002\/udp":\{\}\}\nexposed\n$/);
    expect(await failure("docker create --expose 90-80 busybox")).toEqual([125, "docker: invalid range format for --expose: 90-80, error: invalid range specified for port: 90-80.\nSee 'docker create --help'.\n"]);
  }, 60000);

  it("takes the default log driver and IPC mode, and refuses the others", async () => {
    expect((await sh("docker run --rm --log-driver json-file --ipc private busybox true")).code).toBe(0);
    expect(await failure("docker run --rm --log-driver none busybox true")).toEqual([125, "docker: Berth does not support --log-driver none yet.\nSee 'docker run --help'.\n"]);
  }, 60000);
});

describe("--uts", () => {
  it("host shares the VM's hostname; /etc/hostname and $HOSTNAME still name the container", async () => {
    const vmName = (await sh("hostname")).stdout;
    const r = await sh("docker run --name utshost --uts host busybox sh -c 'hostname; cat /etc/hostname; echo $HOSTNAME'");
    const id = (await sh("docker inspect -f '{{.Id}}' utshost")).stdout.trim();
    expect(r.stdout).toBe(`${vmName}${id.slice(0, 12)}\n${id.slice(0, 12)}\n`);
    await sh("docker rm utshost");
    expect(await failure("docker create --uts host -h web busybox")).toEqual([1, "Error response from daemon: conflicting options: hostname and the UTS mode\n"]);
    expect(await failure("docker create --uts bogus busybox")).toEqual([125, "docker: --uts: invalid UTS mode.\nSee 'docker create --help'.\n"]);
  }, 60000);
});

describe("--ulimit", () => {
  it("sets the container process's limits, and the CLI checks them as go-units does", async () => {
    const r = await sh("docker run --rm --ulimit nofile=512:1024 --ulimit nproc=-1 busybox sh -c 'ulimit -n; ulimit -Hn; ulimit -u'");
    expect([r.code, r.stdout, r.stderr]).toEqual([0, "512\n1024\nunlimited\n", ""]);
    const id = (await sh("docker create --ulimit core=0 busybox")).stdout.trim();
    expect((await sh(`docker inspect -f '{{json .HostConfig.Ulimits}}' ${id} && docker rm ${id} >/dev/null`)).stdout).toBe('[{"Name":"core","Hard":0,"Soft":0}]\n');
    expect(await failure("docker run --ulimit nofile=2048:1024 busybox")).toEqual([125, "invalid argument \"nofile=2048:1024\" for \"--ulimit\" flag: ulimit soft limit must be less than or equal to hard limit: 2048 > 1024\nSee 'docker run --help'.\n"]);
  }, 60000);
});

describe("--security-opt", () => {
  it("no-new-privileges reaches the process; systempaths=unconfined lifts the masks; labelling is off with --pid host", async () => {
    const nnp = await sh("docker run --rm --security-opt no-new-privileges busybox grep NoNewPrivs /proc/self/status");
    expect(nnp.stdout).toBe("NoNewPrivs:\t1\n");
    expect((await sh("docker run --rm busybox grep NoNewPrivs /proc/self/status")).stdout).toBe("NoNewPrivs:\t0\n");
    // /proc/timer_list is masked (/dev/null over it) and /proc/sys read-only, unless the masks are lifted.
    const paths = "grep -cE \" /proc/(timer_list|sys) \" /proc/self/mountinfo";
    const masked = await sh(`docker run --rm busybox sh -c '${paths}'`);
    const unmasked = await sh(`docker run --rm --security-opt systempaths=unconfined busybox sh -c '${paths}'`);
    expect([masked.stdout, unmasked.stdout]).toEqual(["2\n", "0\n"]);
    const id = (await sh("docker create --pid host --security-opt systempaths=unconfined busybox")).stdout.trim();
    const hc = await sh(`docker inspect -f '{{json .HostConfig.SecurityOpt}} {{json .HostConfig.MaskedPaths}}' ${id} && docker rm ${id} >/dev/null`);
    expect(hc.stdout).toBe('["label=disable"] []\n');
    expect(await failure("docker create --security-opt bogus busybox")).toEqual([125, 'docker: Invalid --security-opt: "bogus".\nSee \'docker create --help\'.\n']);
    expect(await failure("docker create --security-opt foo=bar busybox")).toEqual([1, 'Error response from daemon: invalid --security-opt 2: "foo=bar"\n']);
  }, 90000);
});

describe("users and groups", () => {
  it("id shows the groups runc gives (primary first), with --group-add's, in run and exec", async () => {
    expect((await sh("docker run --rm busybox id")).stdout).toBe("uid=0(root) gid=0(root) groups=0(root),10(wheel)\n");
    expect((await sh("docker run --rm -u 1234:5678 busybox id")).stdout).toBe("uid=1234 gid=5678 groups=5678\n");
    await sh("docker run -d --name grp --group-add audio --group-add 4242 busybox sleep 1000");
    expect((await sh("docker exec grp id")).stdout).toBe("uid=0(root) gid=0(root) groups=0(root),10(wheel),29(audio),4242\n");
    await sh("docker rm -f grp");
    expect(await failure("docker run --rm --group-add nosuch busybox id")).toEqual([125, "docker: Error response from daemon: Unable to find group nosuch: no matching entries in group file.\n"]);
  }, 60000);
});
