// Expected strings below are transcripts of the Docker 20.10.24 CLI (Debian's
// docker.io, /usr/bin/docker) at narrow terminal widths, captured in a pty
// after `stty cols N`. The 80-column help of every command is checked in
// specs.test.ts against testdata/help-20.10.24.json.
import { describe, expect, it } from "vitest";
import type { FlagSpec } from "./flags";
import { flagUsages, renderHelp } from "./help";
import { exec, logs } from "./specs";

describe("help output (docker/cli 20.10 help template, pflag FlagUsagesWrapped)", () => {
  it("docker logs --help at 50 columns", () => {
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

  it("docker exec --help at 40 columns", () => {
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
