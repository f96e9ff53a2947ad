// Container and exec endpoints of the Engine API 1.41 (moby api/server/router/container,
// v20.10.24). Each route reads its parameters and calls the daemon; the Docker behaviour
// itself lives in daemon.ts.
import type { ContainerConfig, HostConfig, Ulimit } from "../api-types";
import { ULIMITS } from "../containers/ulimits";
import type { CreateRequest } from "../containers/container";
import type { UpdateRequest } from "../containers/update";
import type { LogEntry } from "../containers/logs";
import type { ExecConfig } from "../daemon";
import { ConflictError, EngineError, InvalidParameterError } from "../errors";
import { parseSignal } from "../format/signals";
import { concat } from "../../sandbox/bytes";
import { DEFAULT_DETACH_KEYS, parseDetachKeys } from "../../sandbox/detach-keys";
import { boolValue, compareVersions, defined, Fields, filtersParam, intValue, jsonBody, jsonLine, timeParam, writeJSON, type ApiContext, type Route } from "./common";
import type { HijackedConnection } from "./http";
import { frame, STDERR, STDOUT } from "./stdcopy";

const RAW_STREAM = "application/vnd.docker.raw-stream";
const MULTIPLEXED_STREAM = "application/vnd.docker.multiplexed-stream";

const param = (ctx: ApiContext, i = 0): string => ctx.params[i] ?? "";

/** API 1.42 names the multiplexed framing in Content-Type; before that it is always raw-stream. */
const streamType = (ctx: ApiContext, mux: boolean) => (mux && compareVersions(ctx.apiVersion, "1.42") >= 0 ? MULTIPLEXED_STREAM : RAW_STREAM);

/** Fields of a create request this engine cannot honour yet: refused rather than ignored. */
function refuseUnsupported(config: Fields, hc: Fields): void {
  const nonEmpty = (f: Fields, k: string) => {
    const v = f.raw(k);
    if (typeof v === "string") return v !== "";
    return Array.isArray(v) ? v.length > 0 : v !== null && typeof v === "object" ? Object.keys(v).length > 0 : false;
  };
  for (const [k, what] of [
    ["Binds", "bind mounts and volumes (-v)"],
    ["Mounts", "mounts (--mount)"],
    ["VolumesFrom", "--volumes-from"],
    ["VolumeDriver", "--volume-driver"],
    ["PortBindings", "published ports (-p)"],
    ["Links", "links"],
    ["Devices", "devices"],
    ["DeviceCgroupRules", "--device-cgroup-rule"],
    ["DeviceRequests", "--gpus"],
    ["Dns", "--dns"],
    ["DnsOptions", "--dns-option"],
    ["DnsSearch", "--dns-search"],
    ["ExtraHosts", "--add-host"],
    ["Sysctls", "--sysctl"],
    ["StorageOpt", "--storage-opt"],
    ["CgroupParent", "--cgroup-parent"],
  ] as const) {
    if (nonEmpty(hc, k)) throw new InvalidParameterError(`Berth does not support ${what} yet`);
  }
  if (hc.raw("PublishAllPorts") === true) throw new InvalidParameterError("Berth does not support published ports (-P) yet");
  const ipc = hc.raw("IpcMode");
  if (typeof ipc === "string" && ipc !== "" && ipc !== "private") throw new InvalidParameterError("Berth does not support --ipc yet");
  const log = hc.sub("LogConfig").raw("Type");
  if (typeof log === "string" && log !== "" && log !== "json-file") throw new InvalidParameterError("Berth does not support --log-driver yet");
  if (nonEmpty(hc.sub("LogConfig"), "Config")) throw new InvalidParameterError("Berth does not support --log-opt yet");
  if (nonEmpty(config, "Healthcheck")) throw new InvalidParameterError("Berth does not support health checks (--health-*) yet");
}

/** A blkio device list ({Path, Weight} or {Path, Rate}); anything else is left out. */
function devices<K extends "Weight" | "Rate">(v: unknown, key: K): ({ Path: string } & Record<K, number>)[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.flatMap((d: unknown) => {
    if (typeof d !== "object" || d === null) return [];
    const { Path: path, [key]: n } = d as Record<string, unknown>;
    return typeof path === "string" && typeof n === "number" && Number.isSafeInteger(n) ? [{ Path: path, [key]: n } as { Path: string } & Record<K, number>] : [];
  });
}

/** HostConfig.Ulimits: {Name, Hard, Soft} entries of names the kernel has. */
function ulimits(v: unknown): Ulimit[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.map((u: unknown) => {
    const { Name: name, Hard: hard, Soft: soft } = (typeof u === "object" && u !== null ? u : {}) as Record<string, unknown>;
    if (typeof name !== "string" || !ULIMITS.has(name)) throw new InvalidParameterError(`invalid ulimit type: ${String(name)}`);
    if (!Number.isSafeInteger(hard) || !Number.isSafeInteger(soft)) throw new InvalidParameterError(`invalid ulimit values for ${name}`);
    return { Name: name, Hard: hard as number, Soft: soft as number };
  });
}

const RESTART_POLICIES = ["", "no", "always", "on-failure", "unless-stopped"] as const;
const isRestartPolicy = (s: string): s is HostConfig["RestartPolicy"]["Name"] => (RESTART_POLICIES as readonly string[]).includes(s);

/** The body of POST /containers/create: Config, with HostConfig inside it. */
export function createRequest(name: string, body: unknown): CreateRequest {
  if (body === undefined) throw new InvalidParameterError("Config cannot be empty in order to create a container");
  const f = Fields.of(body, "Config");
  const config: Partial<ContainerConfig> & { Image: string } = {
    ...defined({
      Hostname: f.str("Hostname"),
      Domainname: f.str("Domainname"),
      User: f.str("User"),
      AttachStdin: f.bool("AttachStdin"),
      AttachStdout: f.bool("AttachStdout"),
      AttachStderr: f.bool("AttachStderr"),
      ExposedPorts: f.keySet("ExposedPorts") ?? undefined,
      Tty: f.bool("Tty"),
      OpenStdin: f.bool("OpenStdin"),
      StdinOnce: f.bool("StdinOnce"),
      Env: f.strings("Env"),
      Cmd: f.strSlice("Cmd"),
      Volumes: f.keySet("Volumes"),
      WorkingDir: f.str("WorkingDir"),
      Entrypoint: f.strSlice("Entrypoint"),
      Labels: f.strMap("Labels"),
      StopSignal: f.str("StopSignal"),
      StopTimeout: f.int("StopTimeout"),
    }),
    Image: f.str("Image") ?? "",
  };
  const h = f.sub("HostConfig");
  refuseUnsupported(f, h);
  const rp = h.sub("RestartPolicy");
  const policy = rp.str("Name") ?? "";
  if (!isRestartPolicy(policy)) throw new InvalidParameterError(`invalid restart policy '${policy}'`);
  const log = h.sub("LogConfig");
  const tmpfs = h.strMap("Tmpfs");
  const console = h.raw("ConsoleSize");
  const hostConfig: Partial<HostConfig> = defined({
    NetworkMode: h.str("NetworkMode"),
    RestartPolicy: h.has("RestartPolicy")
      ? { Name: policy, MaximumRetryCount: rp.int("MaximumRetryCount") ?? 0 }
      : undefined,
    AutoRemove: h.bool("AutoRemove"),
    LogConfig: h.has("LogConfig") ? { Type: log.str("Type") ?? "", Config: log.strMap("Config") ?? {} } : undefined,
    CapAdd: h.strings("CapAdd"),
    CapDrop: h.strings("CapDrop"),
    Dns: h.strings("Dns") ?? undefined,
    DnsOptions: h.strings("DnsOptions") ?? undefined,
    DnsSearch: h.strings("DnsSearch") ?? undefined,
    ExtraHosts: h.strings("ExtraHosts"),
    GroupAdd: h.strings("GroupAdd"),
    IpcMode: h.str("IpcMode"),
    PidMode: h.str("PidMode"),
    UTSMode: h.str("UTSMode"),
    CgroupnsMode: h.str("CgroupnsMode"),
    Privileged: h.bool("Privileged"),
    PublishAllPorts: h.bool("PublishAllPorts"),
    ReadonlyRootfs: h.bool("ReadonlyRootfs"),
    SecurityOpt: h.strings("SecurityOpt"),
    MaskedPaths: h.strings("MaskedPaths") ?? undefined,
    ReadonlyPaths: h.strings("ReadonlyPaths") ?? undefined,
    ...(tmpfs ? { Tmpfs: tmpfs } : {}),
    ShmSize: h.int("ShmSize"),
    Runtime: h.str("Runtime"),
    Isolation: h.str("Isolation"),
    ConsoleSize:
      Array.isArray(console) && console.length === 2 && console.every((n) => Number.isSafeInteger(n) && n >= 0) ? [console[0] as number, console[1] as number] : undefined,
    Memory: h.int("Memory"),
    MemorySwap: h.int("MemorySwap"),
    MemoryReservation: h.int("MemoryReservation"),
    NanoCpus: h.int("NanoCpus"),
    CpuShares: h.int("CpuShares"),
    CpuPeriod: h.int("CpuPeriod"),
    CpuQuota: h.int("CpuQuota"),
    CpusetCpus: h.str("CpusetCpus"),
    CpusetMems: h.str("CpusetMems"),
    CpuRealtimePeriod: h.int("CpuRealtimePeriod"),
    CpuRealtimeRuntime: h.int("CpuRealtimeRuntime"),
    MemorySwappiness: h.has("MemorySwappiness") ? h.int("MemorySwappiness") : undefined,
    OomKillDisable: h.bool("OomKillDisable"),
    OomScoreAdj: h.int("OomScoreAdj"),
    KernelMemory: h.int("KernelMemory"),
    BlkioWeight: h.int("BlkioWeight"),
    BlkioWeightDevice: devices(h.raw("BlkioWeightDevice"), "Weight"),
    BlkioDeviceReadBps: devices(h.raw("BlkioDeviceReadBps"), "Rate"),
    BlkioDeviceWriteBps: devices(h.raw("BlkioDeviceWriteBps"), "Rate"),
    BlkioDeviceReadIOps: devices(h.raw("BlkioDeviceReadIOps"), "Rate"),
    BlkioDeviceWriteIOps: devices(h.raw("BlkioDeviceWriteIOps"), "Rate"),
    PidsLimit: h.has("PidsLimit") ? h.int("PidsLimit") : undefined,
    Ulimits: ulimits(h.raw("Ulimits")),
    Init: h.bool("Init"),
  });
  return { name: name || undefined, config, hostConfig };
}

/** Body of POST /containers/{id}/update (container.UpdateConfig): absent or zero = unchanged. */
export function updateConfig(body: unknown): UpdateRequest {
  const f = Fields.of(body ?? {}, "UpdateConfig");
  const rp = f.sub("RestartPolicy");
  const policy = rp.str("Name") ?? "";
  if (!isRestartPolicy(policy)) throw new InvalidParameterError(`invalid restart policy '${policy}'`);
  return defined({
    Memory: f.int("Memory"),
    MemorySwap: f.int("MemorySwap"),
    MemoryReservation: f.int("MemoryReservation"),
    KernelMemory: f.int("KernelMemory"),
    NanoCpus: f.int("NanoCpus"),
    CpuShares: f.int("CpuShares"),
    CpuPeriod: f.int("CpuPeriod"),
    CpuQuota: f.int("CpuQuota"),
    CpusetCpus: f.str("CpusetCpus"),
    CpusetMems: f.str("CpusetMems"),
    BlkioWeight: f.int("BlkioWeight"),
    // dockerd takes 0 and any negative value as "unlimited".
    PidsLimit: f.has("PidsLimit") && f.raw("PidsLimit") !== null ? f.int("PidsLimit") : undefined,
    RestartPolicy: f.has("RestartPolicy") ? { Name: policy, MaximumRetryCount: rp.int("MaximumRetryCount") ?? 0 } : undefined,
  });
}

/** Body of POST /containers/{id}/exec (types.ExecConfig). */
export function execConfig(body: unknown): ExecConfig & { DetachKeys?: string } {
  if (body === undefined) throw new InvalidParameterError("got EOF while reading request body");
  const f = Fields.of(body, "ExecConfig");
  const cmd = f.strSlice("Cmd") ?? [];
  if (!cmd.length) throw new InvalidParameterError("No exec command specified");
  return {
    Cmd: cmd,
    ...defined({
      Env: f.strings("Env") ?? undefined,
      WorkingDir: f.str("WorkingDir"),
      User: f.str("User"),
      Tty: f.bool("Tty"),
      AttachStdin: f.bool("AttachStdin"),
      AttachStdout: f.bool("AttachStdout"),
      AttachStderr: f.bool("AttachStderr"),
      Detach: f.bool("Detach"),
      Privileged: f.bool("Privileged"),
      DetachKeys: f.str("DetachKeys"),
    }),
  };
}

/**
 * Input from an attached client, watching for the detach keys: a full match ends the
 * attachment, a partial match that fails is delivered as typed.
 */
function detachFilter(keys: Uint8Array, deliver: (d: Uint8Array) => void, detached: () => void): (d: Uint8Array) => void {
  let held = 0;
  return (d) => {
    if (!keys.length) return deliver(d);
    const out: number[] = [];
    for (const b of d) {
      if (b === keys[held]) {
        held++;
        if (held === keys.length) {
          if (out.length) deliver(Uint8Array.from(out));
          held = 0;
          detached();
          return;
        }
        continue;
      }
      for (let i = 0; i < held; i++) out.push(keys[i]!);
      held = 0;
      if (b === keys[0]) held = 1;
      else out.push(b);
    }
    if (out.length) deliver(Uint8Array.from(out));
  };
}

function detachKeysParam(spec: string | null): Uint8Array {
  if (!spec) return DEFAULT_DETACH_KEYS;
  try {
    return parseDetachKeys(spec);
  } catch (e) {
    throw new InvalidParameterError((e as Error).message);
  }
}

function whenClosed(conn: HijackedConnection): Promise<void> {
  return new Promise((r) => conn.onClose(r));
}

// ---------------------------------------------------------------- handlers

async function list(ctx: ApiContext): Promise<void> {
  const q = ctx.query;
  const summaries = await ctx.daemon.listContainers({
    all: boolValue(q, "all"),
    limit: intValue(q, "limit"),
    size: boolValue(q, "size"),
    filters: filtersParam(q),
  });
  writeJSON(ctx.res, 200, summaries);
}

async function create(ctx: ApiContext): Promise<void> {
  const req = createRequest(ctx.query.get("name") ?? "", jsonBody(ctx.req));
  writeJSON(ctx.res, 201, await ctx.daemon.create(req));
}

async function start(ctx: ApiContext): Promise<void> {
  // A non-empty JSON body was the pre-1.24 way to pass HostConfig.
  if (ctx.req.body.length > 7 && compareVersions(ctx.apiVersion, "1.24") >= 0) {
    throw new InvalidParameterError("starting container with non-empty request body was deprecated since API v1.22 and removed in v1.24");
  }
  await ctx.daemon.start(param(ctx));
  ctx.res.empty(204);
}

async function stop(ctx: ApiContext): Promise<void> {
  await ctx.daemon.stop(param(ctx), intValue(ctx.query, "t"));
  ctx.res.empty(204);
}

async function restart(ctx: ApiContext): Promise<void> {
  await ctx.daemon.restart(param(ctx), intValue(ctx.query, "t"));
  ctx.res.empty(204);
}

async function kill(ctx: ApiContext): Promise<void> {
  const name = param(ctx);
  const sig = ctx.query.get("signal") ?? "";
  let num = 9;
  if (sig) {
    try {
      num = parseSignal(sig);
    } catch (e) {
      throw new InvalidParameterError((e as Error).message);
    }
  }
  try {
    await ctx.daemon.kill(name, String(num));
  } catch (e) {
    if (e instanceof EngineError) {
      // dockerd wraps the reason and keeps its kind (status).
      const wrapped = new (e.constructor as new (m: string) => EngineError)(`Cannot kill container: ${name}: ${e.message}`);
      throw wrapped;
    }
    throw e;
  }
  ctx.res.empty(204);
}

async function pause(ctx: ApiContext): Promise<void> {
  await ctx.daemon.pause(param(ctx));
  ctx.res.empty(204);
}

async function unpause(ctx: ApiContext): Promise<void> {
  await ctx.daemon.unpause(param(ctx));
  ctx.res.empty(204);
}

async function update(ctx: ApiContext): Promise<void> {
  writeJSON(ctx.res, 200, await ctx.daemon.update(param(ctx), updateConfig(jsonBody(ctx.req))));
}

async function rename(ctx: ApiContext): Promise<void> {
  await ctx.daemon.rename(param(ctx), ctx.query.get("name") ?? "");
  ctx.res.empty(204);
}

async function remove(ctx: ApiContext): Promise<void> {
  if (boolValue(ctx.query, "link")) throw new InvalidParameterError("Berth has no container links to remove");
  await ctx.daemon.remove(param(ctx), { force: boolValue(ctx.query, "force") });
  ctx.res.empty(204);
}

function resize(ctx: ApiContext, exec: boolean): void {
  const h = intValue(ctx.query, "h");
  const w = intValue(ctx.query, "w");
  if (h === undefined || w === undefined) throw new InvalidParameterError(`strconv.Atoi: parsing "": invalid syntax`);
  if (exec) ctx.daemon.execResize(param(ctx), h, w);
  else ctx.daemon.resize(param(ctx), h, w);
  ctx.res.empty(200);
}

/** POST /containers/{id}/wait: headers at once (API ≥ 1.30), the result when it comes. */
async function wait(ctx: ApiContext): Promise<void> {
  const c = ctx.query.get("condition");
  const condition = c === "next-exit" || c === "removed" ? c : "not-running";
  // A missing container is an ordinary 404, before the headers go out.
  const id = ctx.daemon.inspect(param(ctx)).Id;
  const result = ctx.daemon.waitResult(id, condition);
  const out = ctx.res.stream(200, "application/json");
  const r = await Promise.race([result, ctx.res.peerGone.then(() => null)]);
  // ContainerWaitOKBody's field order: Error, then StatusCode. dockerd reports a run's error
  // to the not-running and next-exit waiters only, not to those waiting for the removal.
  const error = r?.error && condition !== "removed" ? { Message: r.error } : null;
  if (r) out.write(jsonLine({ Error: error, StatusCode: r.code }));
  out.end();
}

async function inspect(ctx: ApiContext): Promise<void> {
  const c = ctx.daemon.inspect(param(ctx));
  if (boolValue(ctx.query, "size")) {
    const s = (await ctx.daemon.containerSizes([c.Id])).get(c.Id);
    writeJSON(ctx.res, 200, { ...c, SizeRw: s?.rw ?? 0, SizeRootFs: s?.rootfs ?? 0 });
    return;
  }
  writeJSON(ctx.res, 200, c);
}

async function top(ctx: ApiContext): Promise<void> {
  const args = (ctx.query.get("ps_args") ?? "").split(/\s+/).filter(Boolean);
  writeJSON(ctx.res, 200, await ctx.daemon.top(param(ctx), args));
}

async function logs(ctx: ApiContext): Promise<void> {
  const q = ctx.query;
  const stdout = boolValue(q, "stdout");
  const stderr = boolValue(q, "stderr");
  if (!stdout && !stderr) throw new InvalidParameterError("Bad parameters: you must choose at least one stream");
  const tailText = q.get("tail") ?? "";
  let tail: number | undefined;
  if (tailText !== "" && tailText !== "all") {
    if (!/^-?\d+$/.test(tailText)) throw new InvalidParameterError(`strconv.Atoi: parsing "${tailText}": invalid syntax`);
    tail = Number(tailText) < 0 ? undefined : Number(tailText);
  }
  const sel = ctx.daemon.selectLogs(param(ctx), { since: timeParam(q, "since"), until: timeParam(q, "until"), tail, stdout, stderr });
  const timestamps = boolValue(q, "timestamps");
  const mux = !sel.tty;
  const out = ctx.res.stream(200, streamType(ctx, mux));
  const enc = new TextEncoder();
  const encode = (e: LogEntry) => {
    const line = timestamps ? concat([enc.encode(`${e.time} `), e.data]) : e.data;
    return mux ? frame(e.stream === "stdout" ? STDOUT : STDERR, line) : line;
  };
  const write = (e: LogEntry) => out.write(encode(e));
  // The kept log goes out in a few large writes rather than one per line.
  let batch: Uint8Array[] = [];
  let size = 0;
  for (const e of sel.entries) {
    const b = encode(e);
    batch.push(b);
    size += b.length;
    if (size >= 64 * 1024) {
      out.write(concat(batch));
      batch = [];
      size = 0;
    }
  }
  if (batch.length) out.write(concat(batch));
  if (boolValue(q, "follow") && sel.running) {
    const off = sel.follow(write);
    await Promise.race([ctx.daemon.waitResult(sel.id), ctx.res.peerGone]);
    off();
  }
  out.end();
}



/** POST /containers/{id}/attach: the connection is hijacked and carries the streams. */
async function attach(ctx: ApiContext): Promise<void> {
  const { daemon, query: q } = ctx;
  const c = daemon.inspect(param(ctx));
  if (c.State.Paused) throw new ConflictError(`container ${c.Id} is paused, unpause the container before attach`);
  if (c.State.Restarting) throw new ConflictError(`container ${c.Id} is restarting, wait until the container is running`);
  const keys = detachKeysParam(q.get("detachKeys"));
  const useStdin = boolValue(q, "stdin") && c.Config.OpenStdin;
  const stdout = boolValue(q, "stdout");
  const stderr = boolValue(q, "stderr");
  const mux = !c.Config.Tty;
  const conn = ctx.res.hijack({ upgrade: ctx.req.headers.has("upgrade"), contentType: streamType(ctx, mux) });
  const send = (s: "stdout" | "stderr", d: Uint8Array) => {
    if (s === "stdout" ? !stdout : !stderr) return;
    conn.write(mux ? frame(s === "stdout" ? STDOUT : STDERR, d) : d);
  };
  if (boolValue(q, "logs")) for (const e of daemon.selectLogs(c.Id, { stdout, stderr }).entries) send(e.stream, e.data);
  if (!boolValue(q, "stream")) {
    conn.close();
    return;
  }
  // Subscribe before waiting, so nothing the container writes is missed.
  const off = daemon.attachOutput(c.Id, send);
  let detach!: () => void;
  const detached = new Promise<void>((r) => (detach = r));
  if (useStdin) {
    const toStdin = (d: Uint8Array | null) => {
      try {
        daemon.writeStdin(c.Id, d);
      } catch {
        // The container is gone (--rm) while the client still sends: nothing to deliver to.
      }
    };
    conn.onData(detachFilter(keys, toStdin, detach));
    conn.onEnd(() => {
      if (c.Config.StdinOnce) toStdin(null);
    });
  }
  // Streams end when the run ends (the one going on, or the next one for a created container).
  const exit = daemon.waitResult(c.Id, "next-exit");
  await Promise.race([exit, detached, whenClosed(conn)]);
  off();
  conn.close();
}

async function execCreate(ctx: ApiContext): Promise<void> {
  const cfg = execConfig(jsonBody(ctx.req));
  const id = ctx.daemon.execCreate(param(ctx), cfg);
  writeJSON(ctx.res, 201, { Id: id });
}

/** POST /exec/{id}/start: detached, or hijacked with the process's streams. */
async function execStart(ctx: ApiContext): Promise<void> {
  const { daemon } = ctx;
  const id = param(ctx);
  const f = Fields.of(jsonBody(ctx.req) ?? {}, "ExecStartCheck");
  const detach = f.bool("Detach") ?? false;
  const tty = f.bool("Tty") ?? false;
  const rec = daemon.execInspect(id);
  if (detach) {
    await daemon.execStart(id, {});
    ctx.res.empty(200);
    return;
  }
  const mux = !tty;
  const conn = ctx.res.hijack({ upgrade: ctx.req.headers.has("upgrade"), contentType: streamType(ctx, mux) });
  const out = (s: "stdout" | "stderr", d: Uint8Array) => {
    if (s === "stdout" ? !rec.OpenStdout : !rec.OpenStderr) return;
    conn.write(mux ? frame(s === "stdout" ? STDOUT : STDERR, d) : d);
  };
  try {
    const { proc, exited } = await daemon.execStart(id, { onOutput: out });
    if (rec.OpenStdin) {
      let detachNow!: () => void;
      const detached = new Promise<void>((r) => (detachNow = r));
      conn.onData(detachFilter(detachKeysParam(rec.DetachKeys || null), (d) => proc.write(d), detachNow));
      conn.onEnd(() => proc.closeStdin());
      await Promise.race([exited, detached, whenClosed(conn)]);
    } else {
      proc.closeStdin();
      await Promise.race([exited, whenClosed(conn)]);
    }
  } catch (e) {
    // Too late for a status code: dockerd writes the error into the stream.
    const msg = new TextEncoder().encode(`${(e as Error).message}\r\n`);
    conn.write(mux ? frame(STDOUT, msg) : msg);
  }
  conn.close();
}

function execInspect(ctx: ApiContext): void {
  writeJSON(ctx.res, 200, ctx.daemon.execInspectJSON(param(ctx)));
}

const C = "/containers/([^/]+)";

export const containerRoutes: readonly Route[] = [
  { method: "GET", pattern: /^\/containers\/json$/, handle: list },
  { method: "POST", pattern: /^\/containers\/create$/, handle: create },
  { method: "GET", pattern: new RegExp(`^${C}/json$`), handle: inspect },
  { method: "GET", pattern: new RegExp(`^${C}/top$`), handle: top },
  { method: "GET", pattern: new RegExp(`^${C}/logs$`), handle: logs },
  { method: "POST", pattern: new RegExp(`^${C}/start$`), handle: start },
  { method: "POST", pattern: new RegExp(`^${C}/stop$`), handle: stop },
  { method: "POST", pattern: new RegExp(`^${C}/restart$`), handle: restart },
  { method: "POST", pattern: new RegExp(`^${C}/kill$`), handle: kill },
  { method: "POST", pattern: new RegExp(`^${C}/pause$`), handle: pause },
  { method: "POST", pattern: new RegExp(`^${C}/unpause$`), handle: unpause },
  { method: "POST", pattern: new RegExp(`^${C}/rename$`), handle: rename },
  { method: "POST", pattern: new RegExp(`^${C}/update$`), handle: update },
  { method: "POST", pattern: new RegExp(`^${C}/resize$`), handle: (ctx) => resize(ctx, false) },
  { method: "POST", pattern: new RegExp(`^${C}/wait$`), handle: wait },
  { method: "POST", pattern: new RegExp(`^${C}/attach$`), handle: attach },
  { method: "POST", pattern: new RegExp(`^${C}/exec$`), handle: execCreate },
  { method: "DELETE", pattern: new RegExp(`^${C}$`), handle: remove },
  { method: "POST", pattern: /^\/exec\/([^/]+)\/start$/, handle: execStart },
  { method: "POST", pattern: /^\/exec\/([^/]+)\/resize$/, handle: (ctx) => resize(ctx, true) },
  { method: "GET", pattern: /^\/exec\/([^/]+)\/json$/, handle: execInspect },
];
