// Expected strings below are transcripts of the Docker 20.10.24 CLI (Debian's
// docker.io, /usr/bin/docker), captured with
// `DOCKER_HOST=unix:///tmp/nonexistent.sock docker <cmd> --help >out`
// (80 columns when stdout is not a terminal; narrower widths in a pty after
// `stty cols N`).
import { describe, expect, it } from "vitest";
import type { FlagSpec } from "./flags";
import { flagUsages, renderHelp } from "./help";
import { exec, image, IMAGE_USAGE, logs, networkCreate, ps, run, runFlags, tag } from "./testdata/commands";

describe("help output (docker/cli 20.10 help template, pflag FlagUsagesWrapped)", () => {
  it("docker ps --help", () => {
    expect(renderHelp(ps)).toBe(`
Usage:  docker ps [OPTIONS]

List containers

Options:
  -a, --all             Show all containers (default shows just running)
  -f, --filter filter   Filter output based on conditions provided
      --format string   Pretty-print containers using a Go template
  -n, --last int        Show n last created containers (includes all
                        states) (default -1)
  -l, --latest          Show the latest created container (includes all
                        states)
      --no-trunc        Don't truncate output
  -q, --quiet           Only display container IDs
  -s, --size            Display total file sizes
`);
  });

  it("docker logs --help (80 and 50 columns)", () => {
    expect(renderHelp(logs)).toBe(`
Usage:  docker logs [OPTIONS] CONTAINER

Fetch the logs of a container

Options:
      --details        Show extra details provided to logs
  -f, --follow         Follow log output
      --since string   Show logs since timestamp (e.g.
                       2013-01-02T13:23:37Z) or relative (e.g. 42m for 42
                       minutes)
  -n, --tail string    Number of lines to show from the end of the logs
                       (default "all")
  -t, --timestamps     Show timestamps
      --until string   Show logs before a timestamp (e.g.
                       2013-01-02T13:23:37Z) or relative (e.g. 42m for 42
                       minutes)
`);
    // Captured with `stty cols 50` in a pty: pflag never splits a long word.
    expect(renderHelp(logs, 50)).toBe(`
Usage:  docker logs [OPTIONS] CONTAINER

Fetch the logs of a container

Options:
      --details        Show extra details
                       provided to logs
  -f, --follow         Follow log output
      --since string   Show logs since
                       timestamp (e.g.
                       2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)
  -n, --tail string    Number of lines to
                       show from the end of
                       the logs (default "all")
  -t, --timestamps     Show timestamps
      --until string   Show logs before a
                       timestamp (e.g.
                       2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)
`);
  });

  it("docker exec --help (80 and 40 columns)", () => {
    expect(renderHelp(exec)).toBe(`
Usage:  docker exec [OPTIONS] CONTAINER COMMAND [ARG...]

Run a command in a running container

Options:
  -d, --detach               Detached mode: run command in the background
      --detach-keys string   Override the key sequence for detaching a
                             container
  -e, --env list             Set environment variables
      --env-file list        Read in a file of environment variables
  -i, --interactive          Keep STDIN open even if not attached
      --privileged           Give extended privileges to the command
  -t, --tty                  Allocate a pseudo-TTY
  -u, --user string          Username or UID (format:
                             <name|uid>[:<group|gid>])
  -w, --workdir string       Working directory inside the container
`);
    // Too narrow to wrap: pflag gives up and prints each usage on one line.
    expect(renderHelp(exec, 40)).toBe(`
Usage:  docker exec [OPTIONS] CONTAINER COMMAND [ARG...]

Run a command in a running container

Options:
  -d, --detach               Detached mode: run command in the background
      --detach-keys string   Override the key sequence for detaching a container
  -e, --env list             Set environment variables
      --env-file list        Read in a file of environment variables
  -i, --interactive          Keep STDIN open even if not attached
      --privileged           Give extended privileges to the command
  -t, --tty                  Allocate a pseudo-TTY
  -u, --user string          Username or UID (format: <name|uid>[:<group|gid>])
  -w, --workdir string       Working directory inside the container
`);
  });

  it("docker network create --help (defaults of several kinds)", () => {
    expect(renderHelp(networkCreate)).toBe(`
Usage:  docker network create [OPTIONS] NETWORK

Create a network

Options:
      --attachable           Enable manual container attachment
      --aux-address map      Auxiliary IPv4 or IPv6 addresses used by
                             Network driver (default map[])
      --config-from string   The network from which to copy the configuration
      --config-only          Create a configuration only network
  -d, --driver string        Driver to manage the Network (default "bridge")
      --gateway strings      IPv4 or IPv6 Gateway for the master subnet
      --ingress              Create swarm routing-mesh network
      --internal             Restrict external access to the network
      --ip-range strings     Allocate container ip from a sub-range
      --ipam-driver string   IP Address Management Driver (default "default")
      --ipam-opt map         Set IPAM driver specific options (default map[])
      --ipv6                 Enable IPv6 networking
      --label list           Set metadata on a network
  -o, --opt map              Set driver specific options (default map[])
      --scope string         Control the network's scope
      --subnet strings       Subnet in CIDR format that represents a
                             network segment
`);
  });

  it("docker tag --help has no Options section", () => {
    expect(renderHelp(tag)).toBe(`
Usage:  docker tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]

Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE
`);
  });

  it("docker image --help lists subcommands", () => {
    expect(renderHelp(image)).toBe(`\n${IMAGE_USAGE}`);
  });

  it("shows cobra's name and aliases (docker container ls --help)", () => {
    expect(renderHelp({ ...ps, path: "docker container ls", usage: "docker container ls [OPTIONS]", aliases: ["ls", "ps", "list"] })).toContain(
      "\nUsage:  docker container ls [OPTIONS]\n\nList containers\n\nAliases:\n  ls, ps, list\n\nOptions:\n",
    );
  });

  it("run declares its own --help (since -h is --hostname) and shows it", () => {
    const usages = flagUsages(runFlags, 79);
    // The widest left column is "      --health-interval duration" (32), so
    // every description starts at column 35, as in `docker run --help`.
    const row = (left: string, text: string): string => left.padEnd(35) + text + "\n";
    expect(usages).toContain(row("      --help", "Print usage"));
    expect(usages).toContain(row("  -h, --hostname string", "Container host name"));
    expect(usages).toContain(row("      --health-interval duration", "Time between running the check"));
    expect(usages).toContain(row("      --blkio-weight uint16", "Block IO (relative weight), between 10"));
    expect(usages).toContain(row("  -m, --memory bytes", "Memory limit"));
    expect(usages).toContain(row("      --cpus decimal", "Number of CPUs"));
    expect(usages).toContain(row("  -e, --env list", "Set environment variables"));
    expect(renderHelp(run)).toMatch(/^\nUsage:  docker run \[OPTIONS\] IMAGE \[COMMAND\] \[ARG\.\.\.\]\n\nRun a command in a new container\n\nOptions:\n/u);
    expect(renderHelp(run)).not.toContain("Aliases:");
  });

  it("shows a backquoted value name", () => {
    const flags: FlagSpec[] = [{ name: "file", shorthand: "f", usage: "Name of the `Dockerfile`", kind: "string" }];
    expect(flagUsages(flags, 0)).toBe("  -f, --file Dockerfile   Name of the Dockerfile\n");
  });

  it("shows optional values like pflag", () => {
    const flags: FlagSpec[] = [
      { name: "color", usage: "c", kind: "string", noOptDefVal: "auto" },
      { name: "n", usage: "n", kind: "int", noOptDefVal: "5" },
      { name: "x", usage: "x", kind: "bool", noOptDefVal: "false" },
    ];
    expect(flagUsages(flags, 0)).toBe(
      '      --color string[="auto"]   c\n      --n int[=5]               n\n      --x[=false]               x\n',
    );
  });
});
