// Expected strings below are transcripts of the Docker 20.10.24 CLI (Debian's
// docker.io, /usr/bin/docker; no daemon needed: flag and argument errors
// happen before it connects), captured with
// `DOCKER_HOST=unix:///tmp/nonexistent.sock docker … >out 2>err; echo $?`.
import { describe, expect, it } from "vitest";
import { errorMessage as err } from "../testing/error-message";
import {
  checkArgs,
  commandErrorText,
  FlagError,
  parseCommand,
  parseFlags,
  unknownCommandText,
  type CommandOutcome,
  type CommandSpec,
  type FlagSpec,
} from "./flags";
import { renderHelp } from "./help";
import { commit, cp, exec, login, logs, networkCreate, port, ps, rename, run, tag } from "./specs";



function ok(outcome: CommandOutcome): Extract<CommandOutcome, { kind: "ok" }> {
  if (outcome.kind !== "ok") throw new Error(`expected ok, got ${JSON.stringify(outcome)}`);
  return outcome;
}

function flagError(spec: CommandSpec, message: string): CommandOutcome {
  return {
    kind: "error",
    stdout: "",
    stderr: `${message}\nSee '${spec.path} --help'.\n`,
    exitCode: 125,
  };
}



describe("flag errors (exit 125, stderr, docker/cli 20.10 FlagErrorFunc)", () => {
  const cases: Array<[CommandSpec, string[], string]> = [
    [run, ["--foo"], "unknown flag: --foo"],
    [run, ["-z"], "unknown shorthand flag: 'z' in -z"],
    [run, ["--name"], "flag needs an argument: --name"],
    [run, ["-e"], "flag needs an argument: 'e' in -e"],
    [run, ["-p"], "flag needs an argument: 'p' in -p"],
    [run, ["-h"], "flag needs an argument: 'h' in -h"],
    [run, ["-m", "abc", "busybox"], `invalid argument "abc" for "-m, --memory" flag: invalid size: 'abc'`],
    [run, ["--memory=abc", "busybox"], `invalid argument "abc" for "-m, --memory" flag: invalid size: 'abc'`],
    [run, ["-m", "1x", "busybox"], `invalid argument "1x" for "-m, --memory" flag: invalid size: '1x'`],
    [run, ["-m", "1kibb", "busybox"], `invalid argument "1kibb" for "-m, --memory" flag: invalid size: '1kibb'`],
    [run, ["-m", "1.5.5", "busybox"], `invalid argument "1.5.5" for "-m, --memory" flag: strconv.ParseFloat: parsing "1.5.5": invalid syntax`],
    [run, ["-m", "-1", "busybox"], `invalid argument "-1" for "-m, --memory" flag: invalid size: '-1'`],
    [run, ["--memory-swap", "abc", "busybox"], `invalid argument "abc" for "--memory-swap" flag: invalid size: 'abc'`],
    [run, ["-abc", "busybox"], `invalid argument "bc" for "-a, --attach" flag: valid streams are STDIN, STDOUT and STDERR`],
    [run, ["--rm=foo", "busybox"], `invalid argument "foo" for "--rm" flag: strconv.ParseBool: parsing "foo": invalid syntax`],
    [run, ["-ti=x", "busybox"], `invalid argument "x" for "-i, --interactive" flag: strconv.ParseBool: parsing "x": invalid syntax`],
    [run, ["--cpus", "x", "busybox"], `invalid argument "x" for "--cpus" flag: failed to parse x as a rational number`],
    [run, ["--cpus", "abc", "busybox"], `invalid argument "abc" for "--cpus" flag: failed to parse abc as a rational number`],
    [run, ["--cpus", "1.5.3", "busybox"], `invalid argument "1.5.3" for "--cpus" flag: failed to parse 1.5.3 as a rational number`],
    [run, ["--cpus", "0.0000000001", "busybox"], `invalid argument "0.0000000001" for "--cpus" flag: value is too precise`],
    [run, ["--cpu-shares", "abc", "busybox"], `invalid argument "abc" for "-c, --cpu-shares" flag: strconv.ParseInt: parsing "abc": invalid syntax`],
    [run, ["--health-interval", "abc", "busybox"], `invalid argument "abc" for "--health-interval" flag: time: invalid duration "abc"`],
    [run, ["--health-interval", "5", "busybox"], `invalid argument "5" for "--health-interval" flag: time: missing unit in duration "5"`],
    [run, ["--blkio-weight", "abc", "busybox"], `invalid argument "abc" for "--blkio-weight" flag: strconv.ParseUint: parsing "abc": invalid syntax`],
    [run, ["--blkio-weight", "70000", "busybox"], `invalid argument "70000" for "--blkio-weight" flag: strconv.ParseUint: parsing "70000": value out of range`],
    [run, ["-e", "=x", "busybox"], `invalid argument "=x" for "-e, --env" flag: invalid environment variable: =x`],
    [ps, ["-n", "x"], `invalid argument "x" for "-n, --last" flag: strconv.ParseInt: parsing "x": invalid syntax`],
    [ps, ["-n", "abc"], `invalid argument "abc" for "-n, --last" flag: strconv.ParseInt: parsing "abc": invalid syntax`],
    [ps, ["--last="], `invalid argument "" for "-n, --last" flag: strconv.ParseInt: parsing "": invalid syntax`],
    [ps, ["-n", ""], `invalid argument "" for "-n, --last" flag: strconv.ParseInt: parsing "": invalid syntax`],
    [ps, ["-n", "1e3"], `invalid argument "1e3" for "-n, --last" flag: strconv.ParseInt: parsing "1e3": invalid syntax`],
    [ps, ["-n", "99999999999999999999"], `invalid argument "99999999999999999999" for "-n, --last" flag: strconv.ParseInt: parsing "99999999999999999999": value out of range`],
    [ps, ["--help=foo"], `invalid argument "foo" for "--help" flag: strconv.ParseBool: parsing "foo": invalid syntax`],
    [ps, ["-a=foo"], `invalid argument "foo" for "-a, --all" flag: strconv.ParseBool: parsing "foo": invalid syntax`],
    [ps, ["--all="], `invalid argument "" for "-a, --all" flag: strconv.ParseBool: parsing "": invalid syntax`],
    [ps, ["--format"], "flag needs an argument: --format"],
    [ps, ["---x"], "bad flag syntax: ---x"],
    [ps, ["--=x"], "bad flag syntax: --=x"],
    [ps, ["--debug"], "unknown flag: --debug"],
    [ps, ["-f", "abc"], `invalid argument "abc" for "-f, --filter" flag: bad format of filter (expected name=value)`],
    [networkCreate, ["--subnet", 'a"b', "x"], `invalid argument "a\\"b" for "--subnet" flag: parse error on line 1, column 2: bare " in non-quoted-field`],
    [networkCreate, ["--subnet", '"a', "x"], `invalid argument "\\"a" for "--subnet" flag: parse error on line 1, column 3: extraneous or missing " in quoted-field`],
    [networkCreate, ["--subnet", '"a"b', "x"], `invalid argument "\\"a\\"b" for "--subnet" flag: parse error on line 1, column 3: extraneous or missing " in quoted-field`],
    [networkCreate, ["--subnet", 'x,"a"b', "x"], `invalid argument "x,\\"a\\"b" for "--subnet" flag: parse error on line 1, column 5: extraneous or missing " in quoted-field`],
    [networkCreate, ["--subnet", 'ab,c"d', "x"], `invalid argument "ab,c\\"d" for "--subnet" flag: parse error on line 1, column 5: bare " in non-quoted-field`],
  ];
  for (const [spec, argv, message] of cases) {
    it(`${spec.path} ${argv.join(" ")}`, () => {
      expect(parseCommand(spec, argv)).toEqual(flagError(spec, message));
    });
  }

  it("renders the full docker run transcript", () => {
    const out = parseCommand(run, ["--foo"]);
    expect(out).toEqual({
      kind: "error",
      stdout: "",
      stderr:
        "unknown flag: --foo\nSee 'docker run --help'.\n",
      exitCode: 125,
    });
  });

  it("reports the first error even when --help comes first", () => {
    expect(parseCommand(ps, ["--help", "--foo"])).toEqual(flagError(ps, "unknown flag: --foo"));
  });
});

describe("argument count errors (exit 1, stderr, docker/cli 20.10 cli/required.go)", () => {
  const runMin = '"docker run" requires at least 1 argument.\nSee \'docker run --help\'.\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun a command in a new container\n';
  const psNone = '"docker ps" accepts no arguments.\nSee \'docker ps --help\'.\n\nUsage:  docker ps [OPTIONS]\n\nList containers\n';
  const netCreate = '"docker network create" requires exactly 1 argument.\nSee \'docker network create --help\'.\n\nUsage:  docker network create [OPTIONS] NETWORK\n\nCreate a network\n';
  const cases: Array<[CommandSpec, string[], string]> = [
    [run, [], runMin],
    [run, ["-e", "busybox"], runMin],
    [ps, ["foo"], psNone],
    [ps, ["-"], psNone],
    [ps, ["--", "a"], psNone],
    [tag, ["a"], '"docker tag" requires exactly 2 arguments.\nSee \'docker tag --help\'.\n\nUsage:  docker tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]\n\nCreate a tag TARGET_IMAGE that refers to SOURCE_IMAGE\n'],
    [logs, [], '"docker logs" requires exactly 1 argument.\nSee \'docker logs --help\'.\n\nUsage:  docker logs [OPTIONS] CONTAINER\n\nFetch the logs of a container\n'],
    [exec, ["a"], '"docker exec" requires at least 2 arguments.\nSee \'docker exec --help\'.\n\nUsage:  docker exec [OPTIONS] CONTAINER COMMAND [ARG...]\n\nRun a command in a running container\n'],
    [networkCreate, [], netCreate],
    [networkCreate, ["a", "b"], netCreate],
    [
      rename,
      ["a"],
      '"docker rename" requires exactly 2 arguments.\nSee \'docker rename --help\'.\n\nUsage:  docker rename CONTAINER NEW_NAME\n\nRename a container\n',
    ],
    [
      port,
      [],
      '"docker port" requires at least 1 and at most 2 arguments.\nSee \'docker port --help\'.\n\nUsage:  docker port CONTAINER [PRIVATE_PORT[/PROTO]]\n\nList port mappings or a specific mapping for the container\n',
    ],
    [
      login,
      ["a", "b"],
      '"docker login" requires at most 1 argument.\nSee \'docker login --help\'.\n\nUsage:  docker login [OPTIONS] [SERVER]\n\nLog in to a Docker registry\n',
    ],
    [
      commit,
      [],
      '"docker commit" requires at least 1 and at most 2 arguments.\nSee \'docker commit --help\'.\n\nUsage:  docker commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]\n\nCreate a new image from a container\'s changes\n',
    ],
    [
      cp,
      ["a"],
      '"docker cp" requires exactly 2 arguments.\nSee \'docker cp --help\'.\n\nUsage:  docker cp [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tdocker cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH\n\nCopy files/folders between a container and the local filesystem\n',
    ],
  ];
  for (const [spec, argv, stderr] of cases) {
    it(`${spec.path} ${argv.join(" ")}`, () => {
      expect(parseCommand(spec, argv)).toEqual({ kind: "error", stdout: "", stderr, exitCode: 1 });
    });
  }

  it("checkArgs returns undefined when the count fits", () => {
    expect(checkArgs(tag, ["a", "b"])).toBeUndefined();
    expect(checkArgs(run, ["busybox", "ls"])).toBeUndefined();
    expect(checkArgs(ps, [])).toBeUndefined();
  });
});

describe("successful parsing", () => {
  it("stops at the first positional for run (interspersed=false)", () => {
    const out = ok(parseCommand(run, ["--rm", "-it", "busybox", "ls", "-l", "--rm"]));
    expect(out.args).toEqual(["busybox", "ls", "-l", "--rm"]);
    expect(out.flags.bool("rm")).toBe(true);
    expect(out.flags.bool("interactive")).toBe(true);
    expect(out.flags.bool("tty")).toBe(true);
    expect(out.flags.bool("detach")).toBe(false);
  });

  it("passes --help after the image to the container", () => {
    const out = ok(parseCommand(run, ["busybox", "--help"]));
    expect(out.args).toEqual(["busybox", "--help"]);
    expect(out.flags.bool("help")).toBe(false);
  });

  it("collects repeatable values in order", () => {
    const out = ok(parseCommand(run, ["-e", "A=1", "-e=B=2", "--env", "C=3", "--env=D", "-eE=5", "-p", "80:80", "busybox"]));
    expect(out.flags.strings("env")).toEqual(["A=1", "B=2", "C=3", "D", "E=5"]);
    expect(out.flags.strings("publish")).toEqual(["80:80"]);
    expect(out.flags.strings("volume")).toEqual([]);
  });

  it("treats -e= as the value '=' (pflag reads the rest of the group)", () => {
    const out = ok(parseCommand(run, ["-v=", "busybox"]));
    expect(out.flags.strings("volume")).toEqual(["="]);
  });

  it("accepts --flag value, --flag=value, -fvalue, -f value, -f=value", () => {
    for (const argv of [["--name", "web"], ["--name=web"]]) {
      expect(ok(parseCommand(run, [...argv, "busybox"])).flags.string("name")).toBe("web");
    }
    for (const argv of [["-hweb"], ["-h", "web"], ["-h=web"], ["--hostname=web"]]) {
      expect(ok(parseCommand(run, [...argv, "busybox"])).flags.string("hostname")).toBe("web");
    }
  });

  it("combines shorthand bools and ends a group with a value flag", () => {
    const out = ok(parseCommand(run, ["-dit", "-ehello=1", "busybox"]));
    expect([out.flags.bool("detach"), out.flags.bool("interactive"), out.flags.bool("tty")]).toEqual([true, true, true]);
    expect(out.flags.strings("env")).toEqual(["hello=1"]);
    const grouped = ok(parseCommand(run, ["-itehello", "busybox"]));
    expect(grouped.flags.strings("env")).toEqual(["hello"]);
  });

  it("parses bools with explicit values", () => {
    expect(ok(parseCommand(run, ["--rm=false", "x"])).flags.bool("rm")).toBe(false);
    expect(ok(parseCommand(run, ["--rm=1", "x"])).flags.bool("rm")).toBe(true);
    expect(ok(parseCommand(run, ["-d=T", "x"])).flags.bool("detach")).toBe(true);
    expect(ok(parseCommand(ps, ["-a=true"])).flags.bool("all")).toBe(true);
    // A bool never takes the next argument as its value.
    expect(ok(parseCommand(run, ["--rm", "false"])).args).toEqual(["false"]);
  });

  it("parses ints like strconv.ParseInt base 0", () => {
    expect(ok(parseCommand(ps, [])).flags.int("last")).toBe(-1);
    expect(ok(parseCommand(ps, ["-n", "0x10"])).flags.int("last")).toBe(16);
    expect(ok(parseCommand(ps, ["-n", "-5"])).flags.int("last")).toBe(-5);
    expect(ok(parseCommand(ps, ["-n=-5"])).flags.int("last")).toBe(-5);
    expect(ok(parseCommand(ps, ["-n3"])).flags.int("last")).toBe(3);
    expect(ok(parseCommand(ps, ["--last", "1_000"])).flags.int("last")).toBe(1000);
  });

  it("handles -- and - as in pflag", () => {
    const dash = ok(parseCommand(run, ["--", "busybox", "-x"]));
    expect(dash.args).toEqual(["busybox", "-x"]);
    expect(dash.flags.argsLenAtDash).toBe(0);
    const single = ok(parseCommand(run, ["-", "x"]));
    expect(single.args).toEqual(["-", "x"]);
    const after = ok(parseCommand(run, ["busybox", "--", "ls"]));
    expect(after.args).toEqual(["busybox", "--", "ls"]);
    expect(after.flags.argsLenAtDash).toBe(-1);
    const empty = ok(parseCommand(run, ["", "x"]));
    expect(empty.args).toEqual(["", "x"]);
  });

  it("intersperses flags and arguments by default", () => {
    const p = parseFlags(logs.flags, ["web", "-f", "--tail", "5"]);
    expect(p.args).toEqual(["web"]);
    expect(p.bool("follow")).toBe(true);
    expect(p.string("tail")).toBe("5");
    const d = parseFlags(logs.flags, ["a", "--", "-f"]);
    expect(d.args).toEqual(["a", "-f"]);
    expect(d.argsLenAtDash).toBe(1);
  });

  it("exec keeps the command's own flags", () => {
    const out = ok(parseCommand(exec, ["-it", "web", "ls", "-l"]));
    expect(out.args).toEqual(["web", "ls", "-l"]);
  });

  it("tracks which flags changed", () => {
    const out = ok(parseCommand(logs, ["--tail", "all", "web"]));
    expect(out.flags.changed("tail")).toBe(true);
    expect(out.flags.changed("follow")).toBe(false);
    expect(out.flags.changedNames()).toEqual(["tail"]);
    expect(out.flags.value("tail")).toBe("all");
  });

  it("splits stringSlice values as CSV and appends across uses", () => {
    const out = ok(parseCommand(networkCreate, ["--subnet", "10.0.0.0/24,10.1.0.0/24", "--subnet=10.2.0.0/24", "--gateway", '"a,b",c', "n"]));
    expect(out.flags.strings("subnet")).toEqual(["10.0.0.0/24", "10.1.0.0/24", "10.2.0.0/24"]);
    expect(out.flags.strings("gateway")).toEqual(["a,b", "c"]);
    expect(out.flags.bool("ipv6")).toBe(false);
    expect(out.flags.string("driver")).toBe("bridge");
  });

  it("replaces a slice default on first use", () => {
    const specs: FlagSpec[] = [{ name: "x", usage: "", kind: "strings", default: ["d"] }];
    expect(parseFlags(specs, []).strings("x")).toEqual(["d"]);
    expect(parseFlags(specs, ["--x", "a", "--x", "b"]).strings("x")).toEqual(["a", "b"]);
  });

  it("normalizes values through a validator", () => {
    expect(ok(parseCommand(run, ["-a", "STDOUT", "-a", "stderr", "x"])).flags.strings("attach")).toEqual(["stdout", "stderr"]);
  });

  it("supports optional values (NoOptDefVal)", () => {
    const specs: FlagSpec[] = [{ name: "color", shorthand: "c", usage: "", kind: "string", noOptDefVal: "auto" }];
    expect(parseFlags(specs, ["--color"]).string("color")).toBe("auto");
    expect(parseFlags(specs, ["--color=never"]).string("color")).toBe("never");
    expect(parseFlags(specs, ["--color", "x"]).args).toEqual(["x"]);
    expect(parseFlags(specs, ["-c"]).string("color")).toBe("auto");
  });

  it("rejects wrong-kind accessors and unknown names (programming errors)", () => {
    const out = ok(parseCommand(ps, []));
    expect(() => out.flags.string("all")).toThrow();
    expect(() => out.flags.bool("nope")).toThrow();
  });
});

describe("help and deprecation notices", () => {
  it("--help prints usage to stdout and exits 0, before argument checks", () => {
    const out = parseCommand(logs, ["--help"]);
    expect(out.kind).toBe("help");
    if (out.kind === "help") expect(out.stdout.startsWith("\nUsage:  docker logs [OPTIONS] CONTAINER\n")).toBe(true);
  });

  it("-h is a deprecated shorthand that still shows help", () => {
    const out = parseCommand(ps, ["-h"]);
    expect(out.kind).toBe("help");
    if (out.kind === "help") {
      expect(out.stdout.startsWith("Flag shorthand -h has been deprecated, please use --help\n\nUsage:  docker ps [OPTIONS]\n\nList containers\n")).toBe(true);
    }
    expect(parseCommand(ps, ["-ah"]).kind).toBe("help");
  });

  it("--help=false runs the command", () => {
    expect(parseCommand(ps, ["--help=false"]).kind).toBe("ok");
  });

  it("prints deprecated-flag notices on stdout", () => {
    const spec: CommandSpec = {
      path: "docker x",
      usage: "docker x",
      short: "x",
      flags: [{ name: "old", usage: "old flag", kind: "bool", deprecated: "use --new" }],
    };
    const out = ok(parseCommand(spec, ["--old"]));
    expect(out.stdout).toBe("Flag --old has been deprecated, use --new\n");
    expect(renderHelp(spec)).not.toContain("--old");
  });
});

describe("helpers for docker's post-parse errors", () => {
  it("commandErrorText (docker run Nginx, docker run -p abc)", () => {
    expect(commandErrorText("docker run", "invalid reference format: repository name must be lowercase")).toBe(
      "docker: invalid reference format: repository name must be lowercase.\nSee 'docker run --help'.\n",
    );
    expect(commandErrorText("docker run", "Invalid containerPort: abc")).toBe("docker: Invalid containerPort: abc.\nSee 'docker run --help'.\n");
    // One trailing "." is replaced, so a message ending in "?" gets "?.".
    expect(commandErrorText("docker run", "Is the docker daemon running?")).toBe("docker: Is the docker daemon running?.\nSee 'docker run --help'.\n");
    expect(commandErrorText("docker create", "done.")).toBe("docker: done.\nSee 'docker create --help'.\n");
  });
  it("unknownCommandText (docker foo)", () => {
    expect(unknownCommandText("docker", "foo")).toBe("docker: 'foo' is not a docker command.\nSee 'docker --help'\n");
  });
});

describe("FlagError", () => {
  it("FlagError is what parseFlags throws", () => {
    expect(() => parseFlags([], ["--x"])).toThrow(FlagError);
    expect(err(() => parseFlags([], ["--x"]))).toBe("unknown flag: --x");
  });
});
