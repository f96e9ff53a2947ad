// Every docker command Berth serves, declared as docker/cli 20.10.24 declares
// it (cli/command/*, cmd/docker): use line, description, aliases, argument
// rule, and all flags with their shorthands, types, defaults, help texts,
// hidden flags and parse-time validators. `docker <cmd> --help` rendered from
// these matches /usr/bin/docker byte for byte (specs.test.ts checks every one
// against testdata/help-20.10.24.json).
//
// Flags are listed in docker/cli's declaration order; help sorts them.
// Flags that docker hides because a Linux, non-experimental daemon with the
// legacy builder does not support them (Windows-only, experimental,
// BuildKit-only) are declared hidden: they still parse, as in docker.
// Where docker binds two flag names to one value (--net/--network,
// --dns-opt/--dns-option, --net-alias/--network-alias), each name here keeps
// its own list and the command merges them.
import { FlagError, parseFlags, type ArgsRule, type CommandSpec, type FlagSpec, type SubcommandSummary } from "./flags";
import { effectiveFlags } from "./help";
import { validators } from "./validators";

/** `docker --version`, as Debian's docker.io 20.10.24 prints it. */
export const DOCKER_VERSION = "20.10.24+dfsg1";
export const DOCKER_GIT_COMMIT = "297e128";

/** The client's config directory (cliconfig.Dir(): $HOME/.docker; Berth's user is root). */
const CONFIG_DIR = "/root/.docker";

// ---------------------------------------------------------------------------
// Flag constructors, named after the pflag/docker calls they stand for.

type Validate = FlagSpec["validate"];

function sh(shorthand: string): { shorthand?: string } {
  return shorthand === "" ? {} : { shorthand };
}

/** flags.BoolP */
function bool(name: string, shorthand: string, def: boolean, usage: string): FlagSpec {
  return { name, ...sh(shorthand), usage, kind: "bool", ...(def ? { default: true } : {}) };
}

/** flags.StringP */
function str(name: string, shorthand: string, def: string, usage: string): FlagSpec {
  return { name, ...sh(shorthand), usage, kind: "string", ...(def !== "" ? { default: def } : {}) };
}

/** flags.IntP / Int64P (both print as "int"). */
function int(name: string, shorthand: string, def: number, usage: string): FlagSpec {
  return { name, ...sh(shorthand), usage, kind: "int", ...(def !== 0 ? { default: def } : {}) };
}

/** flags.Uint16 */
function uint16(name: string, usage: string): FlagSpec {
  return { name, usage, kind: "uint", bits: 16 };
}

/** flags.Uint64 */
function uint64(name: string, usage: string): FlagSpec {
  return { name, usage, kind: "uint", bits: 64 };
}

/** flags.StringSlice: comma-separated values. */
function stringSlice(name: string, usage: string): FlagSpec {
  return { name, usage, kind: "strings", csv: true };
}

/** flags.StringArrayP */
function stringArray(name: string, shorthand: string, usage: string): FlagSpec {
  return { name, ...sh(shorthand), usage, kind: "strings" };
}

/** opts.ListOpts ("list", shown without a default). */
function list(name: string, shorthand: string, usage: string, validate?: Validate): FlagSpec {
  return { name, ...sh(shorthand), usage, kind: "strings", typeName: "list", ...(validate ? { validate } : {}) };
}

/** opts.ThrottledeviceOpt / WeightdeviceOpt: a "list" whose empty value prints as "[]". */
function deviceList(name: string, usage: string, validate: Validate): FlagSpec {
  return { name, usage, kind: "strings", typeName: "list", defValue: "[]", validate };
}

/** opts.MapOpts */
function map(name: string, shorthand: string, usage: string, validate?: Validate): FlagSpec {
  return { name, ...sh(shorthand), usage, kind: "strings", typeName: "map", defValue: "map[]", ...(validate ? { validate } : {}) };
}

/** opts.FilterOpt */
function filter(name: string, shorthand: string, usage: string): FlagSpec {
  return { name, ...sh(shorthand), usage, kind: "strings", typeName: "filter", validate: validators.filter };
}

/** opts.UlimitOpt */
function ulimit(name: string, usage: string): FlagSpec {
  return { name, usage, kind: "strings", typeName: "ulimit", defValue: "[]", validate: validators.ulimit };
}

/** opts.MemBytes */
function bytes(name: string, shorthand: string, usage: string): FlagSpec {
  return { name, ...sh(shorthand), usage, kind: "string", typeName: "bytes", validate: validators.bytes };
}

/** opts.MemSwapBytes */
function memSwapBytes(name: string, usage: string): FlagSpec {
  return { name, usage, kind: "string", typeName: "bytes", validate: validators.memSwapBytes };
}

/** opts.NanoCPUs */
function decimal(name: string, usage: string): FlagSpec {
  return { name, usage, kind: "string", typeName: "decimal", validate: validators.decimal };
}

/** flags.Duration with a zero default (the usage text itself says "(default 0s)"). */
function duration(name: string, usage: string): FlagSpec {
  return { name, usage, kind: "string", typeName: "duration", defValue: "0s", validate: validators.duration };
}

/** A flag of one of docker's own types that accumulates values (gpu-request, mount, network). */
function custom(name: string, typeName: string, usage: string, validate: Validate): FlagSpec {
  return { name, usage, kind: "strings", typeName, validate };
}

/** opts.QuotedString with a default. */
function quotedString(name: string, def: string, usage: string): FlagSpec {
  return { name, usage, kind: "string", default: def, validate: validators.quotedString };
}

function hidden(flag: FlagSpec): FlagSpec {
  return { ...flag, hidden: true };
}

/** command.AddPlatformFlag (DOCKER_DEFAULT_PLATFORM is unset in Berth). */
const platformFlag = str("platform", "", "", "Set platform if server is multi-platform capable");
/** command.AddTrustVerificationFlags (content trust is off: DOCKER_CONTENT_TRUST is unset). */
const trustVerificationFlag = bool("disable-content-trust", "", true, "Skip image verification");
const detachKeysFlag = str("detach-keys", "", "", "Override the key sequence for detaching a container");

// ---------------------------------------------------------------------------
// Command constructors

const noArgs: ArgsRule = { kind: "none" };
const anyArgs: ArgsRule = { kind: "any" };
const min = (n: number): ArgsRule => ({ kind: "min", min: n });
const max = (n: number): ArgsRule => ({ kind: "max", max: n });
const exact = (n: number): ArgsRule => ({ kind: "exact", count: n });
const range = (lo: number, hi: number): ArgsRule => ({ kind: "range", min: lo, max: hi });

/** A cobra.Command: `use` is its Use string, which starts with its name. */
interface Declaration {
  readonly use: string;
  readonly short: string;
  readonly long?: string;
  readonly example?: string;
  /** Cobra aliases, not counting the name. */
  readonly aliases?: readonly string[];
  readonly args: ArgsRule;
  readonly flags?: readonly FlagSpec[];
  /** flags.SetInterspersed(false): flags end at the first argument. */
  readonly stopAtArgs?: boolean;
}

function nameOf(use: string): string {
  return use.split(" ")[0] ?? use;
}

/** The declaration placed under `parent` ("docker" or "docker container"). */
function command(parent: string, d: Declaration): CommandSpec {
  const name = nameOf(d.use);
  return {
    path: `${parent} ${name}`,
    usage: `${parent} ${d.use}`,
    short: d.short,
    ...(d.long !== undefined ? { long: d.long } : {}),
    ...(d.example !== undefined ? { example: d.example } : {}),
    ...(d.aliases !== undefined && d.aliases.length > 0 ? { aliases: [name, ...d.aliases] } : {}),
    flags: d.flags ?? [],
    ...(d.stopAtArgs === true ? { interspersed: false } : {}),
    args: d.args,
  };
}

function summary(spec: CommandSpec): SubcommandSummary {
  const name = spec.path.slice(spec.path.lastIndexOf(" ") + 1);
  return { name, short: spec.short, spec, ...(spec.subcommands !== undefined ? { management: true } : {}) };
}

/**
 * A management command (`docker container`): Args cli.NoArgs, and run alone
 * it prints its help to stderr (command.ShowHelp(dockerCli.Err())).
 */
function management(name: string, short: string, children: readonly CommandSpec[]): CommandSpec {
  return {
    path: `docker ${name}`,
    usage: `docker ${name}`,
    short,
    flags: [],
    args: noArgs,
    subcommands: children.map(summary),
  };
}

// ---------------------------------------------------------------------------
// Containers (cli/command/container)

const attachDecl: Declaration = {
  use: "attach [OPTIONS] CONTAINER",
  short: "Attach local standard input, output, and error streams to a running container",
  args: exact(1),
  flags: [
    bool("no-stdin", "", false, "Do not attach STDIN"),
    bool("sig-proxy", "", true, "Proxy all received signals to the process"),
    detachKeysFlag,
  ],
};

const commitDecl: Declaration = {
  use: "commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]",
  short: "Create a new image from a container's changes",
  args: range(1, 2),
  stopAtArgs: true,
  flags: [
    bool("pause", "p", true, "Pause container during commit"),
    str("message", "m", "", "Commit message"),
    str("author", "a", "", 'Author (e.g., "John Hannibal Smith <hannibal@a-team.com>")'),
    list("change", "c", "Apply Dockerfile instruction to the created image"),
  ],
};

const cpDecl: Declaration = {
  use: "cp [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tdocker cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH",
  short: "Copy files/folders between a container and the local filesystem",
  long:
    "Copy files/folders between a container and the local filesystem\n" +
    "\nUse '-' as the source to read a tar archive from stdin\n" +
    "and extract it to a directory destination in a container.\n" +
    "Use '-' as the destination to stream a tar archive of a\n" +
    "container source to stdout.",
  args: exact(2),
  flags: [
    bool("follow-link", "L", false, "Always follow symbol link in SRC_PATH"),
    bool("archive", "a", false, "Archive mode (copy all uid/gid information)"),
  ],
};

/** container/opts.go addFlags: the container configuration shared by run and create. */
const containerConfigFlags: readonly FlagSpec[] = [
  // General purpose flags
  list("attach", "a", "Attach to STDIN, STDOUT or STDERR", validators.attach),
  list("device-cgroup-rule", "", "Add a rule to the cgroup allowed devices list", validators.deviceCgroupRule),
  // Devices are validated once the daemon's OS is known, not while parsing.
  list("device", "", "Add a host device to the container"),
  custom("gpus", "gpu-request", "GPU devices to add to the container ('all' to pass all GPUs)", validators.gpus),
  list("env", "e", "Set environment variables", validators.env),
  list("env-file", "", "Read in a file of environment variables"),
  str("entrypoint", "", "", "Overwrite the default ENTRYPOINT of the image"),
  list("group-add", "", "Add additional groups to join"),
  str("hostname", "h", "", "Container host name"),
  str("domainname", "", "", "Container NIS domain name"),
  bool("interactive", "i", false, "Keep STDIN open even if not attached"),
  list("label", "l", "Set meta data on a container", validators.label),
  list("label-file", "", "Read in a line delimited file of labels"),
  bool("read-only", "", false, "Mount the container's root filesystem as read only"),
  str("restart", "", "no", "Restart policy to apply when a container exits"),
  str("stop-signal", "", "SIGTERM", "Signal to stop a container"),
  int("stop-timeout", "", 0, "Timeout (in seconds) to stop a container"),
  map("sysctl", "", "Sysctl options", validators.sysctl),
  bool("tty", "t", false, "Allocate a pseudo-TTY"),
  ulimit("ulimit", "Ulimit options"),
  str("user", "u", "", "Username or UID (format: <name|uid>[:<group|gid>])"),
  str("workdir", "w", "", "Working directory inside the container"),
  bool("rm", "", false, "Automatically remove the container when it exits"),

  // Security
  list("cap-add", "", "Add Linux capabilities"),
  list("cap-drop", "", "Drop Linux capabilities"),
  bool("privileged", "", false, "Give extended privileges to this container"),
  list("security-opt", "", "Security Options"),
  str("userns", "", "", "User namespace to use"),
  str(
    "cgroupns",
    "",
    "",
    `Cgroup namespace to use (host|private)
'host':    Run the container in the Docker host's cgroup namespace
'private': Run the container in its own private cgroup namespace
'':        Use the cgroup namespace as configured by the
           default-cgroupns-mode option on the daemon (default)`,
  ),

  // Network and port publishing
  list("add-host", "", "Add a custom host-to-IP mapping (host:ip)", validators.extraHost),
  list("dns", "", "Set custom DNS servers", validators.ipAddress),
  hidden(list("dns-opt", "", "Set DNS options")),
  list("dns-option", "", "Set DNS options"),
  list("dns-search", "", "Set custom DNS search domains", validators.dnsSearch),
  list("expose", "", "Expose a port or a range of ports"),
  str("ip", "", "", "IPv4 address (e.g., 172.30.100.104)"),
  str("ip6", "", "", "IPv6 address (e.g., 2001:db8::33)"),
  list("link", "", "Add link to another container", validators.link),
  list("link-local-ip", "", "Container IPv4/IPv6 link-local addresses"),
  str("mac-address", "", "", "Container MAC address (e.g., 92:d0:c6:0a:29:33)"),
  list("publish", "p", "Publish a container's port(s) to the host"),
  bool("publish-all", "P", false, "Publish all exposed ports to random ports"),
  hidden(custom("net", "network", "Connect a container to a network", validators.network)),
  custom("network", "network", "Connect a container to a network", validators.network),
  hidden(list("net-alias", "", "Add network-scoped alias for the container")),
  list("network-alias", "", "Add network-scoped alias for the container"),

  // Logging and storage
  str("log-driver", "", "", "Logging driver for the container"),
  str("volume-driver", "", "", "Optional volume driver for the container"),
  list("log-opt", "", "Log driver options"),
  list("storage-opt", "", "Storage driver options for the container"),
  list("tmpfs", "", "Mount a tmpfs directory"),
  list("volumes-from", "", "Mount volumes from the specified container(s)"),
  list("volume", "v", "Bind mount a volume"),
  custom("mount", "mount", "Attach a filesystem mount to the container", validators.mount),

  // Health-checking
  str("health-cmd", "", "", "Command to run to check health"),
  duration("health-interval", "Time between running the check (ms|s|m|h) (default 0s)"),
  int("health-retries", "", 0, "Consecutive failures needed to report unhealthy"),
  duration("health-timeout", "Maximum time to allow one check to run (ms|s|m|h) (default 0s)"),
  duration(
    "health-start-period",
    "Start period for the container to initialize before starting health-retries countdown (ms|s|m|h) (default 0s)",
  ),
  bool("no-healthcheck", "", false, "Disable any container-specified HEALTHCHECK"),

  // Resource management
  uint16("blkio-weight", "Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)"),
  deviceList("blkio-weight-device", "Block IO weight (relative device weight)", validators.weightDevice),
  str("cidfile", "", "", "Write the container ID to the file"),
  str("cpuset-cpus", "", "", "CPUs in which to allow execution (0-3, 0,1)"),
  str("cpuset-mems", "", "", "MEMs in which to allow execution (0-3, 0,1)"),
  hidden(int("cpu-count", "", 0, "CPU count (Windows only)")),
  hidden(int("cpu-percent", "", 0, "CPU percent (Windows only)")),
  int("cpu-period", "", 0, "Limit CPU CFS (Completely Fair Scheduler) period"),
  int("cpu-quota", "", 0, "Limit CPU CFS (Completely Fair Scheduler) quota"),
  int("cpu-rt-period", "", 0, "Limit CPU real-time period in microseconds"),
  int("cpu-rt-runtime", "", 0, "Limit CPU real-time runtime in microseconds"),
  int("cpu-shares", "c", 0, "CPU shares (relative weight)"),
  decimal("cpus", "Number of CPUs"),
  deviceList("device-read-bps", "Limit read rate (bytes per second) from a device", validators.throttleBpsDevice),
  deviceList("device-read-iops", "Limit read rate (IO per second) from a device", validators.throttleIOpsDevice),
  deviceList("device-write-bps", "Limit write rate (bytes per second) to a device", validators.throttleBpsDevice),
  deviceList("device-write-iops", "Limit write rate (IO per second) to a device", validators.throttleIOpsDevice),
  hidden(bytes("io-maxbandwidth", "", "Maximum IO bandwidth limit for the system drive (Windows only)")),
  hidden(uint64("io-maxiops", "Maximum IOps limit for the system drive (Windows only)")),
  bytes("kernel-memory", "", "Kernel memory limit"),
  bytes("memory", "m", "Memory limit"),
  bytes("memory-reservation", "", "Memory soft limit"),
  memSwapBytes("memory-swap", "Swap limit equal to memory plus swap: '-1' to enable unlimited swap"),
  int("memory-swappiness", "", -1, "Tune container memory swappiness (0 to 100)"),
  bool("oom-kill-disable", "", false, "Disable OOM Killer"),
  int("oom-score-adj", "", 0, "Tune host's OOM preferences (-1000 to 1000)"),
  int("pids-limit", "", 0, "Tune container pids limit (set -1 for unlimited)"),

  // Low-level execution (cgroups, namespaces, ...)
  str("cgroup-parent", "", "", "Optional parent cgroup for the container"),
  str("ipc", "", "", "IPC mode to use"),
  str("isolation", "", "", "Container isolation technology"),
  str("pid", "", "", "PID namespace to use"),
  bytes("shm-size", "", "Size of /dev/shm"),
  str("uts", "", "", "UTS namespace to use"),
  str("runtime", "", "", "Runtime to use for this container"),
  bool("init", "", false, "Run an init inside the container that forwards signals and reaps processes"),
];

/** run and create declare their own --help: -h is --hostname. */
const explicitHelpFlag = bool("help", "", false, "Print usage");

const createDecl: Declaration = {
  use: "create [OPTIONS] IMAGE [COMMAND] [ARG...]",
  short: "Create a new container",
  args: min(1),
  stopAtArgs: true,
  flags: [
    str("name", "", "", "Assign a name to the container"),
    str("pull", "", "missing", 'Pull image before creating ("always"|"missing"|"never")'),
    explicitHelpFlag,
    platformFlag,
    trustVerificationFlag,
    ...containerConfigFlags,
  ],
};

const runDecl: Declaration = {
  use: "run [OPTIONS] IMAGE [COMMAND] [ARG...]",
  short: "Run a command in a new container",
  args: min(1),
  stopAtArgs: true,
  flags: [
    bool("detach", "d", false, "Run container in background and print container ID"),
    bool("sig-proxy", "", true, "Proxy received signals to the process"),
    str("name", "", "", "Assign a name to the container"),
    detachKeysFlag,
    str("pull", "", "missing", 'Pull image before running ("always"|"missing"|"never")'),
    explicitHelpFlag,
    platformFlag,
    trustVerificationFlag,
    ...containerConfigFlags,
  ],
};

const diffDecl: Declaration = {
  use: "diff CONTAINER",
  short: "Inspect changes to files or directories on a container's filesystem",
  args: exact(1),
};

const execDecl: Declaration = {
  use: "exec [OPTIONS] CONTAINER COMMAND [ARG...]",
  short: "Run a command in a running container",
  args: min(2),
  stopAtArgs: true,
  flags: [
    detachKeysFlag,
    bool("interactive", "i", false, "Keep STDIN open even if not attached"),
    bool("tty", "t", false, "Allocate a pseudo-TTY"),
    bool("detach", "d", false, "Detached mode: run command in the background"),
    str("user", "u", "", "Username or UID (format: <name|uid>[:<group|gid>])"),
    bool("privileged", "", false, "Give extended privileges to the command"),
    list("env", "e", "Set environment variables", validators.env),
    list("env-file", "", "Read in a file of environment variables"),
    str("workdir", "w", "", "Working directory inside the container"),
  ],
};

const exportDecl: Declaration = {
  use: "export [OPTIONS] CONTAINER",
  short: "Export a container's filesystem as a tar archive",
  args: exact(1),
  flags: [str("output", "o", "", "Write to a file, instead of STDOUT")],
};

const killDecl: Declaration = {
  use: "kill [OPTIONS] CONTAINER [CONTAINER...]",
  short: "Kill one or more running containers",
  args: min(1),
  flags: [str("signal", "s", "KILL", "Signal to send to the container")],
};

const psDecl: Declaration = {
  use: "ps [OPTIONS]",
  short: "List containers",
  args: noArgs,
  flags: [
    bool("quiet", "q", false, "Only display container IDs"),
    bool("size", "s", false, "Display total file sizes"),
    bool("all", "a", false, "Show all containers (default shows just running)"),
    bool("no-trunc", "", false, "Don't truncate output"),
    bool("latest", "l", false, "Show the latest created container (includes all states)"),
    int("last", "n", -1, "Show n last created containers (includes all states)"),
    str("format", "", "", "Pretty-print containers using a Go template"),
    filter("filter", "f", "Filter output based on conditions provided"),
  ],
};

const logsDecl: Declaration = {
  use: "logs [OPTIONS] CONTAINER",
  short: "Fetch the logs of a container",
  args: exact(1),
  flags: [
    bool("follow", "f", false, "Follow log output"),
    str("since", "", "", "Show logs since timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)"),
    str("until", "", "", "Show logs before a timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)"),
    bool("timestamps", "t", false, "Show timestamps"),
    bool("details", "", false, "Show extra details provided to logs"),
    str("tail", "n", "all", "Number of lines to show from the end of the logs"),
  ],
};

const pauseDecl: Declaration = {
  use: "pause CONTAINER [CONTAINER...]",
  short: "Pause all processes within one or more containers",
  args: min(1),
};

const portDecl: Declaration = {
  use: "port CONTAINER [PRIVATE_PORT[/PROTO]]",
  short: "List port mappings or a specific mapping for the container",
  args: range(1, 2),
};

const renameDecl: Declaration = { use: "rename CONTAINER NEW_NAME", short: "Rename a container", args: exact(2) };

const restartDecl: Declaration = {
  use: "restart [OPTIONS] CONTAINER [CONTAINER...]",
  short: "Restart one or more containers",
  args: min(1),
  flags: [int("time", "t", 10, "Seconds to wait for stop before killing the container")],
};

const rmDecl: Declaration = {
  use: "rm [OPTIONS] CONTAINER [CONTAINER...]",
  short: "Remove one or more containers",
  args: min(1),
  flags: [
    bool("volumes", "v", false, "Remove anonymous volumes associated with the container"),
    bool("link", "l", false, "Remove the specified link"),
    bool("force", "f", false, "Force the removal of a running container (uses SIGKILL)"),
  ],
};

const startDecl: Declaration = {
  use: "start [OPTIONS] CONTAINER [CONTAINER...]",
  short: "Start one or more stopped containers",
  args: min(1),
  flags: [
    bool("attach", "a", false, "Attach STDOUT/STDERR and forward signals"),
    bool("interactive", "i", false, "Attach container's STDIN"),
    detachKeysFlag,
    // Experimental, so hidden by a default daemon.
    hidden(str("checkpoint", "", "", "Restore from this checkpoint")),
    hidden(str("checkpoint-dir", "", "", "Use a custom checkpoint storage directory")),
  ],
};

const statsDecl: Declaration = {
  use: "stats [OPTIONS] [CONTAINER...]",
  short: "Display a live stream of container(s) resource usage statistics",
  args: min(0),
  flags: [
    bool("all", "a", false, "Show all containers (default shows just running)"),
    bool("no-stream", "", false, "Disable streaming stats and only pull the first result"),
    bool("no-trunc", "", false, "Do not truncate output"),
    str("format", "", "", "Pretty-print images using a Go template"),
  ],
};

const stopDecl: Declaration = {
  use: "stop [OPTIONS] CONTAINER [CONTAINER...]",
  short: "Stop one or more running containers",
  args: min(1),
  flags: [int("time", "t", 10, "Seconds to wait for stop before killing it")],
};

// No flags, but interspersed is off so `docker top web -ef` passes -ef to ps.
const topDecl: Declaration = {
  use: "top CONTAINER [ps OPTIONS]",
  short: "Display the running processes of a container",
  args: min(1),
  stopAtArgs: true,
};

const unpauseDecl: Declaration = {
  use: "unpause CONTAINER [CONTAINER...]",
  short: "Unpause all processes within one or more containers",
  args: min(1),
};

const updateDecl: Declaration = {
  use: "update [OPTIONS] CONTAINER [CONTAINER...]",
  short: "Update configuration of one or more containers",
  args: min(1),
  flags: [
    uint16("blkio-weight", "Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)"),
    int("cpu-period", "", 0, "Limit CPU CFS (Completely Fair Scheduler) period"),
    int("cpu-quota", "", 0, "Limit CPU CFS (Completely Fair Scheduler) quota"),
    int("cpu-rt-period", "", 0, "Limit the CPU real-time period in microseconds"),
    int("cpu-rt-runtime", "", 0, "Limit the CPU real-time runtime in microseconds"),
    str("cpuset-cpus", "", "", "CPUs in which to allow execution (0-3, 0,1)"),
    str("cpuset-mems", "", "", "MEMs in which to allow execution (0-3, 0,1)"),
    int("cpu-shares", "c", 0, "CPU shares (relative weight)"),
    bytes("memory", "m", "Memory limit"),
    bytes("memory-reservation", "", "Memory soft limit"),
    memSwapBytes("memory-swap", "Swap limit equal to memory plus swap: '-1' to enable unlimited swap"),
    bytes("kernel-memory", "", "Kernel memory limit"),
    str("restart", "", "", "Restart policy to apply when a container exits"),
    int("pids-limit", "", 0, "Tune container pids limit (set -1 for unlimited)"),
    decimal("cpus", "Number of CPUs"),
  ],
};

const waitDecl: Declaration = {
  use: "wait CONTAINER [CONTAINER...]",
  short: "Block until one or more containers stop, then print their exit codes",
  args: min(1),
};

export const attach = command("docker", attachDecl);
export const commit = command("docker", commitDecl);
export const cp = command("docker", cpDecl);
export const create = command("docker", createDecl);
export const diff = command("docker", diffDecl);
export const exec = command("docker", execDecl);
export const exportCmd = command("docker", exportDecl);
export const kill = command("docker", killDecl);
export const logs = command("docker", logsDecl);
export const pause = command("docker", pauseDecl);
export const port = command("docker", portDecl);
export const ps = command("docker", psDecl);
export const rename = command("docker", renameDecl);
export const restart = command("docker", restartDecl);
export const rm = command("docker", rmDecl);
export const run = command("docker", runDecl);
export const start = command("docker", startDecl);
export const stats = command("docker", statsDecl);
export const stop = command("docker", stopDecl);
export const top = command("docker", topDecl);
export const unpause = command("docker", unpauseDecl);
export const update = command("docker", updateDecl);
export const wait = command("docker", waitDecl);

export const containerAttach = command("docker container", attachDecl);
export const containerCommit = command("docker container", commitDecl);
export const containerCp = command("docker container", cpDecl);
export const containerCreate = command("docker container", createDecl);
export const containerDiff = command("docker container", diffDecl);
export const containerExec = command("docker container", execDecl);
export const containerExport = command("docker container", exportDecl);
export const containerInspect = command("docker container", {
  use: "inspect [OPTIONS] CONTAINER [CONTAINER...]",
  short: "Display detailed information on one or more containers",
  args: min(1),
  flags: [
    str("format", "f", "", "Format the output using the given Go template"),
    bool("size", "s", false, "Display total file sizes"),
  ],
});
export const containerKill = command("docker container", killDecl);
export const containerLogs = command("docker container", logsDecl);
export const containerLs = command("docker container", { ...psDecl, use: "ls [OPTIONS]", aliases: ["ps", "list"] });
export const containerPause = command("docker container", pauseDecl);
export const containerPort = command("docker container", portDecl);
export const containerPrune = command("docker container", {
  use: "prune [OPTIONS]",
  short: "Remove all stopped containers",
  args: noArgs,
  flags: [
    bool("force", "f", false, "Do not prompt for confirmation"),
    filter("filter", "", "Provide filter values (e.g. 'until=<timestamp>')"),
  ],
});
export const containerRename = command("docker container", renameDecl);
export const containerRestart = command("docker container", restartDecl);
export const containerRm = command("docker container", rmDecl);
export const containerRun = command("docker container", runDecl);
export const containerStart = command("docker container", startDecl);
export const containerStats = command("docker container", statsDecl);
export const containerStop = command("docker container", stopDecl);
export const containerTop = command("docker container", topDecl);
export const containerUnpause = command("docker container", unpauseDecl);
export const containerUpdate = command("docker container", updateDecl);
export const containerWait = command("docker container", waitDecl);

export const container = management("container", "Manage containers", [
  containerAttach,
  containerCommit,
  containerCp,
  containerCreate,
  containerDiff,
  containerExec,
  containerExport,
  containerKill,
  containerLogs,
  containerPause,
  containerPort,
  containerRename,
  containerRestart,
  containerRm,
  containerRun,
  containerStart,
  containerStats,
  containerStop,
  containerTop,
  containerUnpause,
  containerUpdate,
  containerWait,
  containerLs,
  containerInspect,
  containerPrune,
]);

// ---------------------------------------------------------------------------
// Images (cli/command/image)

const buildDecl: Declaration = {
  use: "build [OPTIONS] PATH | URL | -",
  short: "Build an image from a Dockerfile",
  args: exact(1),
  flags: [
    list("tag", "t", "Name and optionally a tag in the 'name:tag' format", validators.imageTag),
    list("build-arg", "", "Set build-time variables", validators.env),
    ulimit("ulimit", "Ulimit options"),
    str("file", "f", "", "Name of the Dockerfile (Default is 'PATH/Dockerfile')"),
    bytes("memory", "m", "Memory limit"),
    memSwapBytes("memory-swap", "Swap limit equal to memory plus swap: '-1' to enable unlimited swap"),
    bytes("shm-size", "", "Size of /dev/shm"),
    int("cpu-shares", "c", 0, "CPU shares (relative weight)"),
    int("cpu-period", "", 0, "Limit the CPU CFS (Completely Fair Scheduler) period"),
    int("cpu-quota", "", 0, "Limit the CPU CFS (Completely Fair Scheduler) quota"),
    str("cpuset-cpus", "", "", "CPUs in which to allow execution (0-3, 0,1)"),
    str("cpuset-mems", "", "", "MEMs in which to allow execution (0-3, 0,1)"),
    str("cgroup-parent", "", "", "Optional parent cgroup for the container"),
    str("isolation", "", "", "Container isolation technology"),
    list("label", "", "Set metadata for an image", validators.label),
    bool("no-cache", "", false, "Do not use cache when building the image"),
    bool("rm", "", true, "Remove intermediate containers after a successful build"),
    bool("force-rm", "", false, "Always remove intermediate containers"),
    bool("quiet", "q", false, "Suppress the build output and print image ID on success"),
    bool("pull", "", false, "Always attempt to pull a newer version of the image"),
    stringSlice("cache-from", "Images to consider as cache sources"),
    bool("compress", "", false, "Compress the build context using gzip"),
    stringSlice("security-opt", "Security options"),
    str("network", "", "default", "Set the networking mode for the RUN instructions during build"),
    list("add-host", "", "Add a custom host-to-IP mapping (host:ip)", validators.extraHost),
    str("target", "", "", "Set the target build stage to build."),
    str("iidfile", "", "", "Write the image ID to the file"),
    trustVerificationFlag,
    // BuildKit only: hidden with the legacy builder, a 20.10 daemon's default.
    hidden(platformFlag),
    // Experimental.
    hidden(bool("squash", "", false, "Squash newly built layers into a single new layer")),
    hidden(bool("stream", "", false, "Stream attaches to server to negotiate build context")),
    // BuildKit only.
    hidden(str("progress", "", "auto", "Set type of progress output (auto, plain, tty). Use plain to show container output")),
    hidden(stringArray("secret", "", "Secret file to expose to the build (only if BuildKit enabled): id=mysecret,src=/local/secret")),
    hidden(
      stringArray(
        "ssh",
        "",
        "SSH agent socket or keys to expose to the build (only if BuildKit enabled) (format: default|<id>[=<socket>|<key>[,<key>]])",
      ),
    ),
    hidden(stringArray("output", "o", "Output destination (format: type=local,dest=path)")),
  ],
};

const historyDecl: Declaration = {
  use: "history [OPTIONS] IMAGE",
  short: "Show the history of an image",
  args: exact(1),
  flags: [
    bool("human", "H", true, "Print sizes and dates in human readable format"),
    bool("quiet", "q", false, "Only show image IDs"),
    bool("no-trunc", "", false, "Don't truncate output"),
    str("format", "", "", "Pretty-print images using a Go template"),
  ],
};

const importDecl: Declaration = {
  use: "import [OPTIONS] file|URL|- [REPOSITORY[:TAG]]",
  short: "Import the contents from a tarball to create a filesystem image",
  args: min(1),
  flags: [
    list("change", "c", "Apply Dockerfile instruction to the created image"),
    str("message", "m", "", "Set commit message for imported image"),
    platformFlag,
  ],
};

const imagesDecl: Declaration = {
  use: "images [OPTIONS] [REPOSITORY[:TAG]]",
  short: "List images",
  args: max(1),
  flags: [
    bool("quiet", "q", false, "Only show image IDs"),
    bool("all", "a", false, "Show all images (default hides intermediate images)"),
    bool("no-trunc", "", false, "Don't truncate output"),
    bool("digests", "", false, "Show digests"),
    str("format", "", "", "Pretty-print images using a Go template"),
    filter("filter", "f", "Filter output based on conditions provided"),
  ],
};

const loadDecl: Declaration = {
  use: "load [OPTIONS]",
  short: "Load an image from a tar archive or STDIN",
  args: noArgs,
  flags: [
    str("input", "i", "", "Read from tar archive file, instead of STDIN"),
    bool("quiet", "q", false, "Suppress the load output"),
  ],
};

const pullDecl: Declaration = {
  use: "pull [OPTIONS] NAME[:TAG|@DIGEST]",
  short: "Pull an image or a repository from a registry",
  args: exact(1),
  flags: [
    bool("all-tags", "a", false, "Download all tagged images in the repository"),
    bool("quiet", "q", false, "Suppress verbose output"),
    platformFlag,
    trustVerificationFlag,
  ],
};

const pushDecl: Declaration = {
  use: "push [OPTIONS] NAME[:TAG]",
  short: "Push an image or a repository to a registry",
  args: exact(1),
  flags: [
    bool("all-tags", "a", false, "Push all tagged images in the repository"),
    bool("quiet", "q", false, "Suppress verbose output"),
    // command.AddTrustSigningFlags
    bool("disable-content-trust", "", true, "Skip image signing"),
  ],
};

const rmiDecl: Declaration = {
  use: "rmi [OPTIONS] IMAGE [IMAGE...]",
  short: "Remove one or more images",
  args: min(1),
  flags: [
    bool("force", "f", false, "Force removal of the image"),
    bool("no-prune", "", false, "Do not delete untagged parents"),
  ],
};

const saveDecl: Declaration = {
  use: "save [OPTIONS] IMAGE [IMAGE...]",
  short: "Save one or more images to a tar archive (streamed to STDOUT by default)",
  args: min(1),
  flags: [str("output", "o", "", "Write to a file, instead of STDOUT")],
};

const tagDecl: Declaration = {
  use: "tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
  short: "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE",
  args: exact(2),
  stopAtArgs: true,
};

export const build = command("docker", buildDecl);
export const history = command("docker", historyDecl);
export const importCmd = command("docker", importDecl);
export const images = command("docker", imagesDecl);
export const load = command("docker", loadDecl);
export const pull = command("docker", pullDecl);
export const push = command("docker", pushDecl);
export const rmi = command("docker", rmiDecl);
export const save = command("docker", saveDecl);
export const tag = command("docker", tagDecl);

export const imageBuild = command("docker image", buildDecl);
export const imageHistory = command("docker image", historyDecl);
export const imageImport = command("docker image", importDecl);
export const imageInspect = command("docker image", {
  use: "inspect [OPTIONS] IMAGE [IMAGE...]",
  short: "Display detailed information on one or more images",
  args: min(1),
  flags: [str("format", "f", "", "Format the output using the given Go template")],
});
export const imageLoad = command("docker image", loadDecl);
export const imageLs = command("docker image", { ...imagesDecl, use: "ls [OPTIONS] [REPOSITORY[:TAG]]", aliases: ["list"] });
export const imagePrune = command("docker image", {
  use: "prune [OPTIONS]",
  short: "Remove unused images",
  args: noArgs,
  flags: [
    bool("force", "f", false, "Do not prompt for confirmation"),
    bool("all", "a", false, "Remove all unused images, not just dangling ones"),
    filter("filter", "", "Provide filter values (e.g. 'until=<timestamp>')"),
  ],
});
export const imagePull = command("docker image", pullDecl);
export const imagePush = command("docker image", pushDecl);
export const imageRm = command("docker image", { ...rmiDecl, use: "rm [OPTIONS] IMAGE [IMAGE...]", aliases: ["rmi", "remove"] });
export const imageSave = command("docker image", saveDecl);
export const imageTag = command("docker image", tagDecl);

export const image = management("image", "Manage images", [
  imageBuild,
  imageHistory,
  imageImport,
  imageLoad,
  imagePull,
  imagePush,
  imageSave,
  imageTag,
  imageLs,
  imageRm,
  imageInspect,
  imagePrune,
]);

// ---------------------------------------------------------------------------
// Networks (cli/command/network)

export const networkConnect = command("docker network", {
  use: "connect [OPTIONS] NETWORK CONTAINER",
  short: "Connect a container to a network",
  args: exact(2),
  flags: [
    str("ip", "", "", "IPv4 address (e.g., 172.30.100.104)"),
    str("ip6", "", "", "IPv6 address (e.g., 2001:db8::33)"),
    list("link", "", "Add link to another container", validators.link),
    stringSlice("alias", "Add network-scoped alias for the container"),
    stringSlice("link-local-ip", "Add a link-local address for the container"),
    stringSlice("driver-opt", "driver options for the network"),
  ],
});

export const networkCreate = command("docker network", {
  use: "create [OPTIONS] NETWORK",
  short: "Create a network",
  args: exact(1),
  flags: [
    str("driver", "d", "bridge", "Driver to manage the Network"),
    map("opt", "o", "Set driver specific options"),
    list("label", "", "Set metadata on a network", validators.label),
    bool("internal", "", false, "Restrict external access to the network"),
    bool("ipv6", "", false, "Enable IPv6 networking"),
    bool("attachable", "", false, "Enable manual container attachment"),
    bool("ingress", "", false, "Create swarm routing-mesh network"),
    str("scope", "", "", "Control the network's scope"),
    bool("config-only", "", false, "Create a configuration only network"),
    str("config-from", "", "", "The network from which to copy the configuration"),
    str("ipam-driver", "", "default", "IP Address Management Driver"),
    stringSlice("subnet", "Subnet in CIDR format that represents a network segment"),
    stringSlice("ip-range", "Allocate container ip from a sub-range"),
    stringSlice("gateway", "IPv4 or IPv6 Gateway for the master subnet"),
    map("aux-address", "", "Auxiliary IPv4 or IPv6 addresses used by Network driver"),
    map("ipam-opt", "", "Set IPAM driver specific options"),
  ],
});

export const networkDisconnect = command("docker network", {
  use: "disconnect [OPTIONS] NETWORK CONTAINER",
  short: "Disconnect a container from a network",
  args: exact(2),
  flags: [bool("force", "f", false, "Force the container to disconnect from a network")],
});

export const networkInspect = command("docker network", {
  use: "inspect [OPTIONS] NETWORK [NETWORK...]",
  short: "Display detailed information on one or more networks",
  args: min(1),
  flags: [
    str("format", "f", "", "Format the output using the given Go template"),
    bool("verbose", "v", false, "Verbose output for diagnostics"),
  ],
});

export const networkLs = command("docker network", {
  use: "ls [OPTIONS]",
  aliases: ["list"],
  short: "List networks",
  args: noArgs,
  flags: [
    bool("quiet", "q", false, "Only display network IDs"),
    bool("no-trunc", "", false, "Do not truncate the output"),
    str("format", "", "", "Pretty-print networks using a Go template"),
    filter("filter", "f", "Provide filter values (e.g. 'driver=bridge')"),
  ],
});

export const networkPrune = command("docker network", {
  use: "prune [OPTIONS]",
  short: "Remove all unused networks",
  args: noArgs,
  flags: [
    bool("force", "f", false, "Do not prompt for confirmation"),
    filter("filter", "", "Provide filter values (e.g. 'until=<timestamp>')"),
  ],
});

export const networkRm = command("docker network", {
  use: "rm NETWORK [NETWORK...]",
  aliases: ["remove"],
  short: "Remove one or more networks",
  args: min(1),
});

export const network = management("network", "Manage networks", [
  networkConnect,
  networkCreate,
  networkDisconnect,
  networkInspect,
  networkLs,
  networkRm,
  networkPrune,
]);

// ---------------------------------------------------------------------------
// Volumes (cli/command/volume)

export const volumeCreate = command("docker volume", {
  use: "create [OPTIONS] [VOLUME]",
  short: "Create a volume",
  args: max(1),
  flags: [
    str("driver", "d", "local", "Specify volume driver name"),
    hidden(str("name", "", "", "Specify volume name")),
    map("opt", "o", "Set driver specific options"),
    list("label", "", "Set metadata for a volume", validators.label),
  ],
});

export const volumeInspect = command("docker volume", {
  use: "inspect [OPTIONS] VOLUME [VOLUME...]",
  short: "Display detailed information on one or more volumes",
  args: min(1),
  flags: [str("format", "f", "", "Format the output using the given Go template")],
});

export const volumeLs = command("docker volume", {
  use: "ls [OPTIONS]",
  aliases: ["list"],
  short: "List volumes",
  args: noArgs,
  flags: [
    bool("quiet", "q", false, "Only display volume names"),
    str("format", "", "", "Pretty-print volumes using a Go template"),
    filter("filter", "f", "Provide filter values (e.g. 'dangling=true')"),
  ],
});

export const volumePrune = command("docker volume", {
  use: "prune [OPTIONS]",
  short: "Remove all unused local volumes",
  args: noArgs,
  flags: [
    bool("force", "f", false, "Do not prompt for confirmation"),
    filter("filter", "", "Provide filter values (e.g. 'label=<label>')"),
  ],
});

export const volumeRm = command("docker volume", {
  use: "rm [OPTIONS] VOLUME [VOLUME...]",
  aliases: ["remove"],
  short: "Remove one or more volumes",
  long: "\nRemove one or more volumes. You cannot remove a volume that is in use by a container.\n",
  example: "\n$ docker volume rm hello\nhello\n",
  args: min(1),
  flags: [bool("force", "f", false, "Force the removal of one or more volumes")],
});

export const volume = management("volume", "Manage volumes", [volumeCreate, volumeInspect, volumeLs, volumeRm, volumePrune]);

// ---------------------------------------------------------------------------
// System and registry (cli/command/system, cli/command/registry)

const eventsDecl: Declaration = {
  use: "events [OPTIONS]",
  short: "Get real time events from the server",
  args: noArgs,
  flags: [
    str("since", "", "", "Show all events created since timestamp"),
    str("until", "", "", "Stream events until this timestamp"),
    filter("filter", "f", "Filter output based on conditions provided"),
    str("format", "", "", "Format the output using the given Go template"),
  ],
};

const infoDecl: Declaration = {
  use: "info [OPTIONS]",
  short: "Display system-wide information",
  args: noArgs,
  flags: [str("format", "f", "", "Format the output using the given Go template")],
};

export const events = command("docker", eventsDecl);
export const info = command("docker", infoDecl);
export const inspect = command("docker", {
  use: "inspect [OPTIONS] NAME|ID [NAME|ID...]",
  short: "Return low-level information on Docker objects",
  args: min(1),
  flags: [
    str("format", "f", "", "Format the output using the given Go template"),
    str("type", "", "", "Return JSON for specified type"),
    bool("size", "s", false, "Display total file sizes if the type is container"),
  ],
});
export const version = command("docker", {
  use: "version [OPTIONS]",
  short: "Show the Docker version information",
  args: noArgs,
  flags: [
    str("format", "f", "", "Format the output using the given Go template"),
    str("kubeconfig", "", "", "Kubernetes config file"),
  ],
});

export const systemDf = command("docker system", {
  use: "df [OPTIONS]",
  short: "Show docker disk usage",
  args: noArgs,
  flags: [
    bool("verbose", "v", false, "Show detailed information on space usage"),
    str("format", "", "", "Pretty-print images using a Go template"),
  ],
});
export const systemEvents = command("docker system", eventsDecl);
export const systemInfo = command("docker system", infoDecl);
export const systemPrune = command("docker system", {
  use: "prune [OPTIONS]",
  short: "Remove unused data",
  args: noArgs,
  flags: [
    bool("force", "f", false, "Do not prompt for confirmation"),
    bool("all", "a", false, "Remove all unused images not just dangling ones"),
    bool("volumes", "", false, "Prune volumes"),
    filter("filter", "", "Provide filter values (e.g. 'label=<key>=<value>')"),
  ],
});

export const system = management("system", "Manage Docker", [systemEvents, systemInfo, systemDf, systemPrune]);

export const login = command("docker", {
  use: "login [OPTIONS] [SERVER]",
  short: "Log in to a Docker registry",
  long: "Log in to a Docker registry.\nIf no server is specified, the default is defined by the daemon.",
  args: max(1),
  flags: [
    str("username", "u", "", "Username"),
    str("password", "p", "", "Password"),
    bool("password-stdin", "", false, "Take the password from stdin"),
  ],
});

export const logout = command("docker", {
  use: "logout [SERVER]",
  short: "Log out from a Docker registry",
  long: "Log out from a Docker registry.\nIf no server is specified, the default is defined by the daemon.",
  args: max(1),
});

export const search = command("docker", {
  use: "search [OPTIONS] TERM",
  short: "Search the Docker Hub for images",
  args: exact(1),
  flags: [
    bool("no-trunc", "", false, "Don't truncate output"),
    filter("filter", "f", "Filter output based on conditions provided"),
    int("limit", "", 25, "Max number of search results"),
    str("format", "", "", "Pretty-print search using a Go template"),
  ],
});

// ---------------------------------------------------------------------------
// The root command (cmd/docker/docker.go, cli/cobra.go, cli/flags/common.go)

/** cobra's help command: `docker help [command]`, the same text as `--help`. */
export const help: CommandSpec = {
  path: "docker help",
  usage: "docker help [command]",
  short: "Help about the command",
  flags: [],
  args: anyArgs,
};

/** Docker commands that `docker --help` lists but Berth does not serve. */
const unserved: readonly SubcommandSummary[] = [
  { name: "builder", short: "Manage builds", management: true },
  { name: "completion", short: "Generate the autocompletion script for the specified shell", management: true },
  { name: "config", short: "Manage Docker configs", management: true },
  { name: "context", short: "Manage contexts", management: true },
  { name: "manifest", short: "Manage Docker image manifests and manifest lists", management: true },
  { name: "node", short: "Manage Swarm nodes", management: true },
  { name: "plugin", short: "Manage plugins", management: true },
  { name: "secret", short: "Manage Docker secrets", management: true },
  { name: "service", short: "Manage services", management: true },
  { name: "stack", short: "Manage Docker stacks", management: true },
  { name: "swarm", short: "Manage Swarm", management: true },
  { name: "trust", short: "Manage trust on Docker images", management: true },
  // Experimental, so hidden by a default daemon.
  { name: "checkpoint", short: "Manage checkpoints", management: true, hidden: true },
];

/**
 * `docker` itself. Its flags are the global options, parsed before the
 * command name (parseCommandLine in command-line.ts); run without a known
 * command it prints its help or "'foo' is not a docker command".
 */
export const root: CommandSpec = {
  path: "docker",
  usage: "docker [OPTIONS] COMMAND [ARG...]",
  short: "A self-sufficient runtime for containers",
  flags: [
    str("config", "", CONFIG_DIR, "Location of client config files"),
    bool("debug", "D", false, "Enable debug mode"),
    str("log-level", "l", "info", 'Set the logging level ("debug"|"info"|"warn"|"error"|"fatal")'),
    bool("tls", "", false, "Use TLS; implied by --tlsverify"),
    bool("tlsverify", "", false, "Use TLS and verify the remote"),
    quotedString("tlscacert", `${CONFIG_DIR}/ca.pem`, "Trust certs signed only by this CA"),
    quotedString("tlscert", `${CONFIG_DIR}/cert.pem`, "Path to TLS certificate file"),
    quotedString("tlskey", `${CONFIG_DIR}/key.pem`, "Path to TLS key file"),
    list("host", "H", "Daemon socket(s) to connect to"),
    str(
      "context",
      "c",
      "",
      'Name of the context to use to connect to the daemon (overrides DOCKER_HOST env var and default context set with "docker context use")',
    ),
    bool("version", "v", false, "Print version information and quit"),
  ],
  args: anyArgs,
  subcommands: [
    ...[container, image, network, system, volume].map(summary),
    ...[attach, build, commit, cp, create, diff, events, exec, exportCmd, history, images, importCmd, info, inspect]
      .concat([kill, load, login, logout, logs, pause, port, ps, pull, push, rename, restart, rm, rmi, run, save, search])
      .concat([start, stats, stop, tag, top, unpause, update, version, wait])
      .map(summary),
    { ...summary(help), hidden: true },
    ...unserved,
  ],
  additionalHelp: "To get more help with docker, check out our guides at https://docs.docker.com/go/guides/",
};

/** Every command Berth serves, the root first, then depth first. */
export const allCommands: readonly CommandSpec[] = (() => {
  const out: CommandSpec[] = [];
  const visit = (spec: CommandSpec): void => {
    out.push(spec);
    for (const sub of spec.subcommands ?? []) if (sub.spec !== undefined) visit(sub.spec);
  };
  visit(root);
  return out;
})();

// ---------------------------------------------------------------------------
// Finding the command

export type CommandLookup =
  /** A command; `rest` is its command line after the command words. */
  | { readonly kind: "found"; readonly spec: CommandSpec; readonly rest: readonly string[] }
  /**
   * `name` is no subcommand of `parent`. docker runs `parent` with `rest`
   * (which starts with `name`): the root prints "docker: 'foo' is not a
   * docker command.", a management command prints its usage.
   */
  | { readonly kind: "unknown"; readonly name: string; readonly parent: CommandSpec; readonly rest: readonly string[] }
  /** A real docker command Berth does not serve (`docker swarm`). */
  | { readonly kind: "unsupported"; readonly path: string }
  /** A bad flag between command words (`docker container --foo=1 ls`): cobra prints pflag's bare message, exit 1. */
  | { readonly kind: "error"; readonly message: string };

/**
 * cobra's Command.Traverse, which docker uses (TraverseChildren): walk the
 * command words of `argv` (global flags already removed) from `from`, by name
 * or alias. Flags before a subcommand's name belong to its parent; only the
 * shared --help can be among them, and it is passed on to the subcommand.
 */
export function findCommand(argv: readonly string[], from: CommandSpec = root): CommandLookup {
  let spec = from;
  let args = [...argv];
  for (;;) {
    const subs = spec.subcommands ?? [];
    if (subs.length === 0) return { kind: "found", spec, rest: args };
    const specFlags = effectiveFlags(spec);
    const flags: string[] = [];
    let inFlag = false;
    let word: { index: number; sub: SubcommandSummary | undefined } | undefined;
    for (let i = 0; i < args.length && word === undefined; i++) {
      const arg = args[i] ?? "";
      if (arg.startsWith("--") && !arg.includes("=")) {
        // A long flag whose value may be the next argument.
        inFlag = !hasNoOptDefVal(specFlags.find((f) => f.name === arg.slice(2)));
        flags.push(arg);
      } else if (arg.startsWith("-") && !arg.includes("=") && arg.length === 2 && !hasNoOptDefVal(specFlags.find((f) => f.shorthand === arg[1]))) {
        inFlag = true;
        flags.push(arg);
      } else if (inFlag) {
        inFlag = false;
        flags.push(arg);
      } else if ((arg.length >= 3 && arg[1] === "-") || (arg.length >= 2 && arg[0] === "-" && arg[1] !== "-")) {
        flags.push(arg);
      } else {
        word = { index: i, sub: subs.find((s) => s.name === arg || (s.spec?.aliases ?? []).includes(arg)) };
      }
    }
    if (word === undefined) return { kind: "found", spec, rest: args };
    const name = args[word.index] ?? "";
    if (word.sub === undefined) return { kind: "unknown", name, parent: spec, rest: args };
    if (word.sub.spec === undefined) return { kind: "unsupported", path: `${spec.path} ${word.sub.name}` };
    let helpRequested = false;
    try {
      helpRequested = parseFlags(specFlags, flags).bool("help");
    } catch (e) {
      if (e instanceof FlagError) return { kind: "error", message: e.message };
      throw e;
    }
    spec = word.sub.spec;
    args = [...(helpRequested ? ["--help"] : []), ...args.slice(word.index + 1)];
  }
}

// cobra's hasNoOptDefVal: a known flag that needs no value (a bool).
function hasNoOptDefVal(flag: FlagSpec | undefined): boolean {
  if (flag === undefined) return false;
  return flag.kind === "bool" || (flag.noOptDefVal !== undefined && flag.noOptDefVal !== "");
}
