// Docker 20.10.24 command declarations shared by the CLI tests, declared as
// docker/cli 20.10 declares them (a subset of each command's flags).
import type { CommandSpec, FlagSpec } from "../flags";
import { validators } from "../validators";

export const FORMAT_HELP = "Pretty-print containers using a Go template";

// A subset of `docker run`'s flags, declared as docker/cli declares them.
export const runFlags: FlagSpec[] = [
  { name: "attach", shorthand: "a", usage: "Attach to STDIN, STDOUT or STDERR", kind: "strings", typeName: "list", validate: validators.attach },
  { name: "cpu-shares", shorthand: "c", usage: "CPU shares (relative weight)", kind: "int" },
  { name: "cpus", usage: "Number of CPUs", kind: "string", typeName: "decimal", validate: validators.decimal },
  { name: "detach", shorthand: "d", usage: "Run container in background and print container ID", kind: "bool" },
  { name: "env", shorthand: "e", usage: "Set environment variables", kind: "strings", typeName: "list", validate: validators.env },
  { name: "health-interval", usage: "Time between running the check (ms|s|m|h) (default 0s)", kind: "string", typeName: "duration", defValue: "0s", validate: validators.duration },
  { name: "help", usage: "Print usage", kind: "bool" },
  { name: "hostname", shorthand: "h", usage: "Container host name", kind: "string" },
  { name: "interactive", shorthand: "i", usage: "Keep STDIN open even if not attached", kind: "bool" },
  { name: "memory", shorthand: "m", usage: "Memory limit", kind: "string", typeName: "bytes", validate: validators.bytes },
  { name: "memory-swap", usage: "Swap limit equal to memory plus swap: '-1' to enable unlimited swap", kind: "string", typeName: "bytes", validate: validators.memSwapBytes },
  { name: "blkio-weight", usage: "Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)", kind: "uint", bits: 16 },
  { name: "name", usage: "Assign a name to the container", kind: "string" },
  { name: "publish", shorthand: "p", usage: "Publish a container's port(s) to the host", kind: "strings", typeName: "list" },
  { name: "rm", usage: "Automatically remove the container when it exits", kind: "bool" },
  { name: "tty", shorthand: "t", usage: "Allocate a pseudo-TTY", kind: "bool" },
  { name: "volume", shorthand: "v", usage: "Bind mount a volume", kind: "strings", typeName: "list" },
];

export const run: CommandSpec = {
  path: "docker run",
  usage: "docker run [OPTIONS] IMAGE [COMMAND] [ARG...]",
  short: "Run a command in a new container",
  flags: runFlags,
  interspersed: false,
  args: { kind: "min", min: 1 },
};

export const ps: CommandSpec = {
  path: "docker ps",
  usage: "docker ps [OPTIONS]",
  short: "List containers",
  args: { kind: "none" },
  flags: [
    { name: "all", shorthand: "a", usage: "Show all containers (default shows just running)", kind: "bool" },
    { name: "filter", shorthand: "f", usage: "Filter output based on conditions provided", kind: "strings", typeName: "filter", validate: validators.filter },
    { name: "format", usage: FORMAT_HELP, kind: "string" },
    { name: "last", shorthand: "n", usage: "Show n last created containers (includes all states)", kind: "int", default: -1 },
    { name: "latest", shorthand: "l", usage: "Show the latest created container (includes all states)", kind: "bool" },
    { name: "no-trunc", usage: "Don't truncate output", kind: "bool" },
    { name: "quiet", shorthand: "q", usage: "Only display container IDs", kind: "bool" },
    { name: "size", shorthand: "s", usage: "Display total file sizes", kind: "bool" },
  ],
};

export const logs: CommandSpec = {
  path: "docker logs",
  usage: "docker logs [OPTIONS] CONTAINER",
  short: "Fetch the logs of a container",
  args: { kind: "exact", count: 1 },
  flags: [
    { name: "details", usage: "Show extra details provided to logs", kind: "bool" },
    { name: "follow", shorthand: "f", usage: "Follow log output", kind: "bool" },
    { name: "since", usage: "Show logs since timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)", kind: "string" },
    { name: "tail", shorthand: "n", usage: "Number of lines to show from the end of the logs", kind: "string", default: "all" },
    { name: "timestamps", shorthand: "t", usage: "Show timestamps", kind: "bool" },
    { name: "until", usage: "Show logs before a timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)", kind: "string" },
  ],
};

export const exec: CommandSpec = {
  path: "docker exec",
  usage: "docker exec [OPTIONS] CONTAINER COMMAND [ARG...]",
  short: "Run a command in a running container",
  interspersed: false,
  args: { kind: "min", min: 2 },
  flags: [
    { name: "detach", shorthand: "d", usage: "Detached mode: run command in the background", kind: "bool" },
    { name: "detach-keys", usage: "Override the key sequence for detaching a container", kind: "string" },
    { name: "env", shorthand: "e", usage: "Set environment variables", kind: "strings", typeName: "list", validate: validators.env },
    { name: "env-file", usage: "Read in a file of environment variables", kind: "strings", typeName: "list" },
    { name: "interactive", shorthand: "i", usage: "Keep STDIN open even if not attached", kind: "bool" },
    { name: "privileged", usage: "Give extended privileges to the command", kind: "bool" },
    { name: "tty", shorthand: "t", usage: "Allocate a pseudo-TTY", kind: "bool" },
    { name: "user", shorthand: "u", usage: "Username or UID (format: <name|uid>[:<group|gid>])", kind: "string" },
    { name: "workdir", shorthand: "w", usage: "Working directory inside the container", kind: "string" },
  ],
};

export const networkCreate: CommandSpec = {
  path: "docker network create",
  usage: "docker network create [OPTIONS] NETWORK",
  short: "Create a network",
  args: { kind: "exact", count: 1 },
  flags: [
    { name: "attachable", usage: "Enable manual container attachment", kind: "bool" },
    { name: "aux-address", usage: "Auxiliary IPv4 or IPv6 addresses used by Network driver", kind: "strings", typeName: "map", defValue: "map[]" },
    { name: "config-from", usage: "The network from which to copy the configuration", kind: "string" },
    { name: "config-only", usage: "Create a configuration only network", kind: "bool" },
    { name: "driver", shorthand: "d", usage: "Driver to manage the Network", kind: "string", default: "bridge" },
    { name: "gateway", usage: "IPv4 or IPv6 Gateway for the master subnet", kind: "strings", csv: true },
    { name: "ingress", usage: "Create swarm routing-mesh network", kind: "bool" },
    { name: "internal", usage: "Restrict external access to the network", kind: "bool" },
    { name: "ip-range", usage: "Allocate container ip from a sub-range", kind: "strings", csv: true },
    { name: "ipam-driver", usage: "IP Address Management Driver", kind: "string", default: "default" },
    { name: "ipam-opt", usage: "Set IPAM driver specific options", kind: "strings", typeName: "map", defValue: "map[]" },
    { name: "ipv6", usage: "Enable IPv6 networking", kind: "bool" },
    { name: "label", usage: "Set metadata on a network", kind: "strings", typeName: "list" },
    { name: "opt", shorthand: "o", usage: "Set driver specific options", kind: "strings", typeName: "map", defValue: "map[]" },
    { name: "scope", usage: "Control the network's scope", kind: "string" },
    { name: "subnet", usage: "Subnet in CIDR format that represents a network segment", kind: "strings", csv: true },
  ],
};

export const tag: CommandSpec = {
  path: "docker tag",
  usage: "docker tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
  short: "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE",
  args: { kind: "exact", count: 2 },
  flags: [],
};

export const image: CommandSpec = {
  path: "docker image",
  usage: "docker image",
  short: "Manage images",
  args: { kind: "none" },
  flags: [],
  subcommands: [
    { name: "build", short: "Build an image from a Dockerfile" },
    { name: "history", short: "Show the history of an image" },
    { name: "import", short: "Import the contents from a tarball to create a filesystem image" },
    { name: "inspect", short: "Display detailed information on one or more images" },
    { name: "load", short: "Load an image from a tar archive or STDIN" },
    { name: "ls", short: "List images" },
    { name: "prune", short: "Remove unused images" },
    { name: "pull", short: "Pull an image or a repository from a registry" },
    { name: "push", short: "Push an image or a repository to a registry" },
    { name: "rm", short: "Remove one or more images" },
    { name: "save", short: "Save one or more images to a tar archive (streamed to STDOUT by default)" },
    { name: "tag", short: "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE" },
  ],
};

export const root: CommandSpec = {
  path: "docker",
  usage: "docker [OPTIONS] COMMAND",
  short: "A self-sufficient runtime for containers",
  interspersed: false,
  flags: [
    { name: "debug", shorthand: "D", usage: "Enable debug mode", kind: "bool" },
    { name: "host", shorthand: "H", usage: "Daemon socket(s) to connect to", kind: "strings", typeName: "list" },
    { name: "log-level", shorthand: "l", usage: 'Set the logging level ("debug"|"info"|"warn"|"error"|"fatal")', kind: "string", default: "info" },
  ],
};

/** `docker image` usage as Docker 20.10.24 prints it (captured from /usr/bin/docker). */
export const IMAGE_USAGE = `Usage:  docker image COMMAND

Manage images

Commands:
  build       Build an image from a Dockerfile
  history     Show the history of an image
  import      Import the contents from a tarball to create a filesystem image
  inspect     Display detailed information on one or more images
  load        Load an image from a tar archive or STDIN
  ls          List images
  prune       Remove unused images
  pull        Pull an image or a repository from a registry
  push        Push an image or a repository to a registry
  rm          Remove one or more images
  save        Save one or more images to a tar archive (streamed to STDOUT by default)
  tag         Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE

Run 'docker image COMMAND --help' for more information on a command.
`;
