// Berth's command declarations against the real Docker 20.10.24 CLI. The
// expected texts come from testdata/help-20.10.24.json, reference output of
// /usr/bin/docker captured by testdata/capture-help.sh (checked in, so these
// tests need no docker).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCommandLine, VERSION_TEXT } from "./command-line";
import { renderHelp } from "./help";
import {
  allCommands,
  container,
  containerLs,
  findCommand,
  imageLs,
  imageRm,
  images,
  network,
  networkLs,
  ps,
  rmi,
  root,
  run,
  volumeRm,
} from "./specs";

interface Fixture {
  readonly version: string;
  /** `docker <words> --help` stdout, keyed by "docker <words>". */
  readonly help: Readonly<Record<string, string>>;
  readonly cases: ReadonlyArray<{ argv: string[]; stdout: string; stderr: string; exitCode: number }>;
}

const fixture = JSON.parse(readFileSync(new URL("./testdata/help-20.10.24.json", import.meta.url), "utf8")) as Fixture;

function words(key: string): string[] {
  return key.split(" ").slice(1);
}

describe("help of every command (docker <cmd> --help)", () => {
  for (const [key, text] of Object.entries(fixture.help)) {
    it(key, () => {
      const found = findCommand(words(key));
      const spec = found.kind === "found" ? found.spec : undefined;
      expect(spec, key).toBeDefined();
      if (spec !== undefined) expect(renderHelp(spec)).toBe(text);
      expect(parseCommandLine([...words(key), "--help"])).toEqual({ kind: "exit", stdout: text, stderr: "", exitCode: 0 });
    });
  }

  it("the fixture covers every declared command", () => {
    const missing = allCommands.map((s) => s.path).filter((path) => fixture.help[path] === undefined);
    expect(missing).toEqual([]);
  });

  it("was captured from Docker 20.10.24", () => {
    expect(fixture.version + "\n").toBe(VERSION_TEXT);
  });
});

describe("whole command lines (stdout, stderr and exit code as docker prints them)", () => {
  for (const { argv, stdout, stderr, exitCode } of fixture.cases) {
    it(`docker ${argv.join(" ")}`, () => {
      expect(parseCommandLine(argv)).toEqual({ kind: "exit", stdout, stderr, exitCode });
    });
  }
});

describe("findCommand", () => {
  it("resolves management commands, aliases and top-level shortcuts", () => {
    expect(findCommand(["container", "ls", "-a"])).toEqual({ kind: "found", spec: containerLs, rest: ["-a"] });
    expect(findCommand(["container", "ps"])).toMatchObject({ kind: "found", spec: containerLs });
    expect(findCommand(["container", "list"])).toMatchObject({ kind: "found", spec: containerLs });
    expect(findCommand(["ps"])).toMatchObject({ kind: "found", spec: ps });
    expect(findCommand(["image", "ls"])).toMatchObject({ kind: "found", spec: imageLs });
    expect(findCommand(["image", "list"])).toMatchObject({ kind: "found", spec: imageLs });
    expect(findCommand(["images"])).toMatchObject({ kind: "found", spec: images });
    expect(findCommand(["rmi", "x"])).toEqual({ kind: "found", spec: rmi, rest: ["x"] });
    expect(findCommand(["image", "rmi"])).toMatchObject({ kind: "found", spec: imageRm });
    expect(findCommand(["image", "remove"])).toMatchObject({ kind: "found", spec: imageRm });
    expect(findCommand(["network", "list"])).toMatchObject({ kind: "found", spec: networkLs });
    expect(findCommand(["volume", "remove", "v"])).toEqual({ kind: "found", spec: volumeRm, rest: ["v"] });
  });

  it("keeps everything after a leaf command, flags included", () => {
    expect(findCommand(["run", "--rm", "busybox", "ls", "container"])).toEqual({
      kind: "found",
      spec: run,
      rest: ["--rm", "busybox", "ls", "container"],
    });
  });

  it("stops at a management command without a subcommand", () => {
    expect(findCommand(["container"])).toEqual({ kind: "found", spec: container, rest: [] });
    expect(findCommand([])).toEqual({ kind: "found", spec: root, rest: [] });
    // cobra takes "ls" as the value of the unknown flag --foo.
    expect(findCommand(["container", "--foo", "ls"])).toEqual({ kind: "found", spec: container, rest: ["--foo", "ls"] });
  });

  it("passes a --help given before the subcommand on", () => {
    expect(findCommand(["container", "--help", "ls"])).toEqual({ kind: "found", spec: containerLs, rest: ["--help"] });
  });

  it("reports unknown and unsupported commands", () => {
    expect(findCommand(["foo", "-a"])).toEqual({ kind: "unknown", name: "foo", parent: root, rest: ["foo", "-a"] });
    expect(findCommand(["network", "foo"])).toEqual({ kind: "unknown", name: "foo", parent: network, rest: ["foo"] });
    expect(findCommand(["swarm", "init"])).toEqual({ kind: "unsupported", path: "docker swarm" });
    expect(findCommand(["container", "--foo=1", "ls"])).toEqual({ kind: "error", message: "unknown flag: --foo" });
  });
});

describe("parseCommandLine", () => {
  function run_(argv: string[]) {
    const line = parseCommandLine(argv);
    if (line.kind !== "run") throw new Error(`expected a command to run, got ${JSON.stringify(line)}`);
    return line;
  }

  it("parses global flags before the command (docker -D -H … ps -a)", () => {
    const line = run_(["-D", "-H", "unix:///x", "--log-level=DEBUG", "ps", "-a"]);
    expect(line.spec).toBe(ps);
    expect(line.args).toEqual([]);
    expect(line.flags.bool("all")).toBe(true);
    expect(line.global.bool("debug")).toBe(true);
    expect(line.global.strings("host")).toEqual(["unix:///x"]);
    expect(line.global.string("log-level")).toBe("DEBUG");
    expect(line.global.string("config")).toBe("/root/.docker");
  });

  it("leaves the command's own flags to the command", () => {
    const line = run_(["run", "-d", "--name", "web", "nginx", "-v"]);
    expect(line.spec).toBe(run);
    expect(line.args).toEqual(["nginx", "-v"]);
    expect(line.flags.string("name")).toBe("web");
    expect(line.global.bool("version")).toBe(false);
    const viaContainer = run_(["container", "ps", "-q"]);
    expect(viaContainer.spec).toBe(containerLs);
    expect(viaContainer.flags.bool("quiet")).toBe(true);
  });

  it("runs a command after -- and after -v (docker -v ps runs ps)", () => {
    expect(run_(["--", "ps"]).spec).toBe(ps);
    expect(run_(["-v", "ps"]).spec).toBe(ps);
  });

  it("drops one pair of quotes around a --tls* path (opts.QuotedString)", () => {
    expect(run_(["--tlscacert", '"/x/ca.pem"', "ps"]).global.string("tlscacert")).toBe("/x/ca.pem");
  });

  it("hands unsupported docker commands back", () => {
    expect(parseCommandLine(["swarm", "init"])).toMatchObject({ kind: "unsupported", path: "docker swarm" });
    expect(parseCommandLine(["help", "stack"])).toMatchObject({ kind: "unsupported", path: "docker stack" });
  });

  it("wraps help at the terminal width", () => {
    const line = parseCommandLine(["logs", "--help"], { width: 50 });
    expect(line).toMatchObject({ kind: "exit", exitCode: 0 });
    if (line.kind === "exit") expect(line.stdout).toContain("      --details        Show extra details\n                       provided to logs\n");
  });
});
