// Routing, dockerd's version checks and error shapes, and the request readers. The daemon
// here is a stand-in with the few calls these requests make; the real one (on the VM) is
// exercised by docker-cli.integration.test.ts.
import { describe, expect, it } from "vitest";
import type { Daemon, RunResult } from "../daemon";
import { ConflictError, noSuchContainer } from "../errors";
import { EventBus } from "../events/event-bus";
import { errorMessage } from "../testing/error-message";
import { httpConnection, responses, tick } from "../testing/http-connection";
import { filtersParam } from "./common";
import { createRequest, execConfig, updateConfig } from "./containers";
import { apiHandler } from "./router";

function request(daemon: Partial<Daemon>, wire: string) {
  const c = httpConnection(apiHandler(daemon as Daemon));
  c.send(wire);
  return c;
}

const body = (res: string) => res.slice(res.indexOf("\r\n\r\n") + 4);

describe("apiHandler", () => {
  it("answers _ping (GET and HEAD) with dockerd's headers, with or without a version prefix", async () => {
    const c = request({}, "GET /_ping HTTP/1.1\r\n\r\nHEAD /v1.41/_ping HTTP/1.1\r\n\r\n");
    await tick();
    await tick();
    const [get, head] = responses(c.state.out);
    expect(get).toBe(
      "HTTP/1.1 200 OK\r\nServer: Docker/20.10.24 (linux)\r\nApi-Version: 1.41\r\nOstype: linux\r\nDocker-Experimental: false\r\nCache-Control: no-cache, no-store, must-revalidate\r\nPragma: no-cache\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\n\r\nOK",
    );
    expect(head).toContain("Content-Length: 0\r\n\r\n");
    expect(body(head!)).toBe("");
  });

  it("refuses API versions outside 1.12–1.41 as dockerd words it", async () => {
    const c = request({}, "GET /v1.5/version HTTP/1.1\r\n\r\nGET /v1.99/version HTTP/1.1\r\n\r\n");
    await tick();
    await tick();
    const [old, tooNew] = responses(c.state.out);
    expect(old).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n[^]*Content-Type: text\/plain; charset=utf-8/);
    expect(body(old!)).toBe("client version 1.5 is too old. Minimum supported API version is 1.12, please upgrade your client to a newer version\n");
    expect(body(tooNew!)).toBe('{"message":"client version 1.99 is too new. Maximum supported API version is 1.41"}\n');
  });

  it("answers unknown paths and methods with page not found", async () => {
    const c = request({}, "GET /nothing HTTP/1.1\r\n\r\nPUT /containers/json HTTP/1.1\r\n\r\nGET /v1.41 HTTP/1.1\r\n\r\n");
    await tick();
    await tick();
    const all = responses(c.state.out);
    expect(all).toHaveLength(3);
    for (const r of all) {
      expect(r).toMatch(/^HTTP\/1\.1 404 Not Found\r\n/);
      expect(r).not.toContain("Api-Version");
      expect(body(r)).toBe('{"message":"page not found"}\n');
    }
  });

  it("maps the daemon's errors to their status codes, with percent-decoded names", async () => {
    const daemon: Partial<Daemon> = {
      inspect: (ref: string) => {
        throw noSuchContainer(ref);
      },
      start: async () => {
        throw new ConflictError("cannot start a paused container, try unpause instead");
      },
    };
    const c = request(daemon, "GET /containers/no%20such/json HTTP/1.1\r\n\r\nPOST /containers/x/start HTTP/1.1\r\n\r\n");
    await tick();
    await tick();
    const [inspect, start] = responses(c.state.out);
    expect(inspect).toMatch(/^HTTP\/1\.1 404 Not Found\r\n[^]*Content-Type: application\/json\r\n/);
    expect(body(inspect!)).toBe('{"message":"No such container: no such"}\n');
    expect(start).toMatch(/^HTTP\/1\.1 409 Conflict\r\n/);
  });

  it("checks the Content-Type of a JSON body", async () => {
    const c = request({}, 'POST /containers/create HTTP/1.1\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n{}');
    await tick();
    expect(body(c.state.out)).toBe(`{"message":"Content-Type specified (text/plain) must be 'application/json'"}\n`);
  });

  it("streams wait's result after the headers, Error before StatusCode", async () => {
    let finish!: (r: RunResult) => void;
    const daemon: Partial<Daemon> = {
      inspect: () => ({ Id: "abc" }) as ReturnType<Daemon["inspect"]>,
      waitResult: () => new Promise<RunResult>((r) => (finish = r)),
    };
    const c = request(daemon, "POST /containers/abc/wait?condition=next-exit HTTP/1.1\r\n\r\n");
    await tick();
    expect(responses(c.state.out)[0]).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*Transfer-Encoding: chunked\r\n\r\n$/);
    finish({ code: 127, error: "exec failed" });
    await tick();
    expect(c.state.out).toContain('{"Error":{"Message":"exec failed"},"StatusCode":127}\n');
  });

  it("streams events: the kept ones from since, then live ones until until", async () => {
    const events = new EventBus();
    events.emit("container", "create", "c1", { name: "one" });
    const daemon: Partial<Daemon> = { events, eventMatcher: () => (e) => e.Actor.ID !== "skip" };
    const until = Date.now() / 1000 + 0.3;
    const c = request(daemon, `GET /events?since=1&until=${until.toFixed(9)} HTTP/1.1\r\n\r\n`);
    await tick();
    events.emit("container", "start", "skip");
    events.emit("image", "pull", "busybox:latest", { name: "busybox:latest" });
    await new Promise((r) => setTimeout(r, 400));
    const lines = body(responses(c.state.out)[0]!)
      .split("\r\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as { Action: string; id?: string; status?: string; Type: string });
    expect(lines.map((e) => [e.Type, e.Action])).toEqual([
      ["container", "create"],
      ["image", "pull"],
    ]);
    expect(Object.keys(lines[0]!).slice(0, 4)).toEqual(["status", "id", "Type", "Action"]);
    expect(c.state.out.endsWith("0\r\n\r\n")).toBe(true);
  });
});

describe("request readers", () => {
  it("reads a create body as the Docker CLI sends it", () => {
    const r = createRequest("web", {
      Image: "busybox",
      Cmd: "sh",
      Env: ["A=1"],
      Labels: { app: "demo" },
      ExposedPorts: { "80/tcp": {} },
      Entrypoint: null,
      Tty: true,
      HostConfig: { AutoRemove: true, RestartPolicy: { Name: "", MaximumRetryCount: 0 }, Binds: null, PortBindings: {}, Memory: 0, ConsoleSize: [24, 80] },
    });
    expect(r.name).toBe("web");
    expect(r.config).toMatchObject({ Image: "busybox", Cmd: ["sh"], Env: ["A=1"], Labels: { app: "demo" }, ExposedPorts: { "80/tcp": {} }, Entrypoint: null, Tty: true });
    expect(r.hostConfig).toMatchObject({ AutoRemove: true, RestartPolicy: { Name: "", MaximumRetryCount: 0 }, Memory: 0, ConsoleSize: [24, 80] });
  });

  it("refuses bodies of the wrong shape with Go's wording, and what the engine cannot do", () => {
    expect(errorMessage(() => createRequest("", undefined))).toBe("Config cannot be empty in order to create a container");
    expect(errorMessage(() => createRequest("", { Image: 3 }))).toBe("json: cannot unmarshal number into Go struct field Config.Image of type string");
    expect(errorMessage(() => createRequest("", { Image: "x", Env: "A=1" }))).toBe("json: cannot unmarshal string into Go struct field Config.Env of type []string");
    expect(errorMessage(() => createRequest("", { Image: "x", HostConfig: [] }))).toBe("json: cannot unmarshal array into Go struct field Config.HostConfig of type struct");
    expect(errorMessage(() => createRequest("", { Image: "x", HostConfig: { Binds: ["/a:/b"] } }))).toBe("Berth does not support bind mounts and volumes (-v) yet");
    // What the CLI always sends empty passes; a setting Berth would ignore is refused.
    const empty = { Dns: [], DnsOptions: [], ExtraHosts: null, IpcMode: "", UTSMode: "", LogConfig: { Type: "", Config: {} }, CgroupParent: "", PublishAllPorts: false };
    expect(errorMessage(() => createRequest("", { Image: "x", HostConfig: empty }))).toBe("no error");
    for (const [hc, msg] of [
      [{ Dns: ["1.1.1.1"] }, "--dns"],
      [{ ExtraHosts: ["a:10.0.0.1"] }, "--add-host"],
      [{ IpcMode: "host" }, "--ipc"],
      [{ LogConfig: { Type: "none" } }, "--log-driver"],
      [{ PublishAllPorts: true }, "published ports (-P)"],
    ] as const) {
      expect(errorMessage(() => createRequest("", { Image: "x", HostConfig: hc }))).toBe(`Berth does not support ${msg} yet`);
    }
    expect(errorMessage(() => createRequest("", { Image: "x", Healthcheck: { Test: ["CMD", "true"] } }))).toBe("Berth does not support health checks (--health-*) yet");
    expect(errorMessage(() => createRequest("", { Image: "x", HostConfig: { RestartPolicy: { Name: "sometimes" } } }))).toBe("invalid restart policy 'sometimes'");
    expect(errorMessage(() => execConfig({ Cmd: [] }))).toBe("No exec command specified");
    // docker update's body: what the CLI sends for `--memory 48m --restart always`.
    expect(updateConfig({ Memory: 50331648, MemorySwap: 0, CpuShares: 0, CpusetCpus: "", RestartPolicy: { Name: "always", MaximumRetryCount: 0 } })).toEqual({
      Memory: 50331648,
      MemorySwap: 0,
      CpuShares: 0,
      CpusetCpus: "",
      RestartPolicy: { Name: "always", MaximumRetryCount: 0 },
    });
    expect(updateConfig({ PidsLimit: null })).toEqual({});
    expect(errorMessage(() => updateConfig({ RestartPolicy: { Name: "sometimes" } }))).toBe("invalid restart policy 'sometimes'");
    expect(execConfig({ Cmd: ["sh"], AttachStdout: true, Tty: false, DetachKeys: "ctrl-x" })).toEqual({ Cmd: ["sh"], AttachStdout: true, Tty: false, DetachKeys: "ctrl-x" });
  });

  it("reads filters in both of dockerd's JSON forms", () => {
    const q = (f: string) => new URLSearchParams({ filters: f });
    expect([...filtersParam(q('{"status":{"running":true,"exited":false},"label":["a=b"]}'))]).toEqual([
      ["status", ["running"]],
      ["label", ["a=b"]],
    ]);
    expect(filtersParam(new URLSearchParams()).size).toBe(0);
    expect(errorMessage(() => filtersParam(q("[1]")))).toBe("invalid filter: [1]");
    expect(errorMessage(() => filtersParam(q('{"a":{"b":1}}')))).toBe('invalid filter: {"a":{"b":1}}');
  });
});
