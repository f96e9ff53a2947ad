// The engine's core: dockerd's container and image operations over the content store,
// the image store and the guest runtime. The CLI in the guest and the REST API are two
// doors to this one class; neither holds logic the other lacks.
import type { GuestProcess, HostSandbox } from "../sandbox/types";
import type { ContainerConfig, ContainerJSON, ContainerSummary, EngineEvent, ExecInspect, ImageInspect, ImageSummary, JsonMessage, PortSummary, SystemInfo, VersionResponse } from "./api-types";
import { ContentStore } from "./content/content-store";
import { newContainer, NoCommandError, summaryCommand, ZERO_TIME, type CreateRequest } from "./containers/container";
import { LogBuffer, type LogEntry, type StreamName } from "./containers/logs";
import { getRandomName } from "./containers/names";
import { pidModeContainer } from "./containers/pid-mode";
import { ConflictError, EngineError, InvalidParameterError, NotFoundError, noSuchContainer, noSuchImage, NotModifiedError } from "./errors";
import { EventBus } from "./events/event-bus";
import { ImageStore, type ImageRecord } from "./images/image-store";
import { isGzipLayer } from "./images/oci";
import type { OfflineRegistry } from "./images/offline-registry";
import { pullImage } from "./images/pull";
import { familiarMatch, familiarString, parseNormalizedNamed, parseReference, referenceString, tagNameOnly, type NamedReference } from "./images/reference";
import { containerStatus } from "./format/duration";
import { Ipam, macFor } from "./network/ipam";
import { containerDir, GUEST, GuestError, GuestRuntime, BRIDGE, PARENT_LIMITS, netnsPath } from "./runtime/guest";
import { execProcess, ociJson, ociSpec } from "./runtime/oci-spec";
import { sampleStats, type StatsJSON } from "./containers/stats";
import { applyUpdate, CannotUpdateError, cgroupLimits, type UpdateRequest } from "./containers/update";
import { sysInfoOf, verifyRealtime, verifyResources, type SysInfo } from "./containers/resources";
import { parseSecurityOpt } from "./containers/security-opt";
import { checkFilters, filterMatch, labelsMatch, type Filters } from "./util/filter-args";
import { eventFilter } from "./events/event-filter";
import { additionalGroups, resolveUser, UserError, type ExecUser } from "./runtime/users";
import { readTar } from "./archive/tar";
import { isDirMode } from "./archive/copy";
import { ContainerFilesystem, NotADirectoryError, PathNotFoundError, type Change, type PathStat } from "./containers/filesystem";
import { applyChanges, ChangeError, mergeCommitConfig } from "./images/changes";
import { imageHistory, type HistoryItem } from "./images/history";
import { commitImage, importImage, loadImages, ReferenceNotFoundError, resolveSaveNames, saveImages } from "./images/snapshots";
import { getJson, putJson, type Storage } from "./store/storage";
import { CommandHistory } from "./command-history";
import { execFailure, FailureLineHold } from "./runtime/exec-failure";
import { gunzip } from "./util/gzip";
import { randomId } from "./util/digest";
import { signalNumber } from "./format/signals";

export interface DaemonOptions {
  sandbox: HostSandbox;
  storage: Storage;
  registry: OfflineRegistry;
}

type OutputListener = (stream: StreamName, data: Uint8Array) => void;

interface Ctr {
  json: ContainerJSON;
  logs: LogBuffer;
  proc?: GuestProcess;
  /** Live output for attached clients. */
  output: Set<OutputListener>;
  /** Resolved when the current run ends. */
  exited: Promise<RunResult>;
  resolveExit?: (r: RunResult) => void;
  /** A stop or kill asked for by the user: restart policies leave it alone. */
  manualStop: boolean;
  restartTimer?: ReturnType<typeof setTimeout>;
  /** The start in progress, so a second start waits for it. */
  starting?: Promise<void>;
  removing: boolean;
  /** The run's teardown already removed the rootfs (--rm). */
  rootfsRemoved?: boolean;
  /** Waiters for the next exit of any run, started now or later (wait condition next-exit). */
  exitWaiters?: Set<(r: RunResult) => void>;
  /** Waiters for the container's removal (wait condition removed). */
  removeWaiters?: Set<(r: RunResult) => void>;
  /** Stdin written before the process exists (attach comes before start), for OpenStdin containers. */
  stdinQueue?: (Uint8Array | null)[];
  /** StartedAt before this run, restored if the run's process never started (dockerd never set it). */
  prevStartedAt?: string;
}

export interface ExecConfig {
  Cmd: string[];
  Env?: string[];
  WorkingDir?: string;
  User?: string;
  Tty?: boolean;
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  Detach?: boolean;
  Privileged?: boolean;
}

export interface ExecRecord {
  ID: string;
  ContainerID: string;
  Running: boolean;
  ExitCode: number | null;
  Pid: number;
  ProcessConfig: { tty: boolean; entrypoint: string; arguments: string[]; privileged: boolean; user: string };
  OpenStdin: boolean;
  OpenStderr: boolean;
  OpenStdout: boolean;
  CanRemove: boolean;
  DetachKeys: string;
  config: ExecConfig;
  proc?: GuestProcess;
  /** Why the process could not start, as dockerd writes it into the attached stream. */
  startError?: string;
}

export interface StartIo {
  /** Output of this run goes here as well as to the log. */
  onOutput?: OutputListener;
  size?: { rows: number; cols: number };
  /** The container's process exists (its program has not run yet): the moment to attach a client. */
  onProcess?: (proc: GuestProcess) => void;
}

/** How a run ended: its exit code, or the error that kept the process from starting. */
export interface RunResult {
  code: number;
  error?: string;
}

/** Errors from the runtime starting a process, phrased as dockerd reports them. */
export class StartError extends EngineError {}

const now = () => new Date().toISOString();

export class Daemon {
  readonly events = new EventBus();
  private containers = new Map<string, Ctr>();
  private execs = new Map<string, ExecRecord>();
  private ipam = new Ipam(BRIDGE.subnet, BRIDGE.gateway);
  readonly runtime: GuestRuntime;
  private userFiles = new Map<string, Promise<{ passwd: string | null; group: string | null }>>();
  private saveTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** One write at a time per container, so an older state never lands over a newer one. */
  private saveChains = new Map<string, Promise<void>>();
  readonly startedAt = Date.now();

  private constructor(
    readonly sandbox: HostSandbox,
    private readonly storage: Storage,
    readonly images: ImageStore,
    readonly registry: OfflineRegistry,
    /** The learner's `docker` commands, for lesson checks. */
    readonly history: CommandHistory,
  ) {
    this.runtime = new GuestRuntime(sandbox);
  }

  static async open(opts: DaemonOptions): Promise<Daemon> {
    const images = await ImageStore.open(opts.storage, new ContentStore(opts.storage));
    const d = new Daemon(opts.sandbox, opts.storage, images, opts.registry, await CommandHistory.open(opts.storage));
    await d.loadContainers();
    let wasReady = opts.sandbox.status.state === "ready";
    opts.sandbox.onStatus((s) => {
      // A VM restart is a host reboot: guest RAM (layers, rootfs, processes) is new.
      if (s.state === "ready" && !wasReady) void d.rebooted();
      wasReady = s.state === "ready";
    });
    void d.restartPolicyOnBoot();
    return d;
  }

  // ---------------------------------------------------------------- persistence

  private async loadContainers(): Promise<void> {
    const keys = (await this.storage.list("containers/")).filter((k) => k.endsWith(".json"));
    for (const k of keys) {
      const rec = await getJson<{ json: ContainerJSON; manualStop?: boolean; logs?: { stream: StreamName; time: string; ms: number; data: string }[] }>(
        this.storage,
        k,
      ).catch(() => null); // a damaged record loses that container, not the daemon
      if (!rec?.json?.Id || !rec.json.State) continue;
      const logs = new LogBuffer((rec.logs ?? []).map((l) => ({ ...l, data: new TextEncoder().encode(l.data) })));
      const c: Ctr = { json: rec.json, logs, output: new Set(), exited: Promise.resolve({ code: rec.json.State.ExitCode }), manualStop: rec.manualStop ?? false, removing: false };
      // The machine went away with the page: whatever ran is now stopped, as after a host reboot.
      this.markDown(c);
      this.containers.set(c.json.Id, c);
    }
  }

  private markDown(c: Ctr): void {
    const s = c.json.State;
    if (s.Running || s.Paused || s.Restarting) {
      Object.assign(s, { Status: "exited", Running: false, Paused: false, Restarting: false, Pid: 0, ExitCode: 255, FinishedAt: now() });
    }
    this.clearNetwork(c);
  }

  private async rebooted(): Promise<void> {
    this.runtime.reset();
    this.files.reset();
    for (const c of this.containers.values()) {
      if (c.json.State.Running || c.json.State.Paused) {
        this.markDown(c);
        c.resolveExit?.({ code: 255 });
        this.notifyExit(c, { code: 255 });
        this.scheduleSave(c);
      }
    }
    await this.restartPolicyOnBoot();
  }

  private async restartPolicyOnBoot(): Promise<void> {
    for (const c of this.containers.values()) {
      const p = c.json.HostConfig.RestartPolicy.Name;
      if (p === "always" || (p === "unless-stopped" && !c.manualStop)) {
        await this.start(c.json.Id).catch(() => {});
      }
    }
  }

  private scheduleSave(c: Ctr): void {
    if (this.saveTimers.has(c.json.Id)) return;
    this.saveTimers.set(
      c.json.Id,
      setTimeout(() => {
        this.saveTimers.delete(c.json.Id);
        void this.save(c);
      }, 200),
    );
  }

  private async saveNow(c: Ctr): Promise<void> {
    clearTimeout(this.saveTimers.get(c.json.Id));
    this.saveTimers.delete(c.json.Id);
    await this.save(c).catch(() => {});
  }

  private save(c: Ctr): Promise<void> {
    const id = c.json.Id;
    const write = async (): Promise<void> => {
      if (!this.containers.has(id)) return;
      const dec = new TextDecoder();
      const logs = c.logs.entries.slice(-2000).map((l) => ({ stream: l.stream, time: l.time, ms: l.ms, data: dec.decode(l.data) }));
      await putJson(this.storage, `containers/${id}.json`, { json: c.json, manualStop: c.manualStop, logs });
    };
    const next = (this.saveChains.get(id) ?? Promise.resolve()).then(write, write);
    const tail = next.catch(() => {});
    this.saveChains.set(id, tail);
    void tail.then(() => {
      if (this.saveChains.get(id) === tail) this.saveChains.delete(id);
    });
    return next;
  }

  /** Writes the batched records now and waits for every record write under way (tests call it before removing the data folder). */
  async settle(): Promise<void> {
    for (const t of this.saveTimers.values()) clearTimeout(t);
    const pending = [...this.saveTimers.keys()];
    this.saveTimers.clear();
    for (const id of pending) {
      const c = this.containers.get(id);
      if (c) void this.save(c);
    }
    await Promise.all([...this.saveChains.values()]);
  }

  // ---------------------------------------------------------------- lookup

  /** A container by full ID, name, or unique ID prefix (dockerd's GetContainer). */
  find(ref: string): Ctr {
    const byId = this.containers.get(ref);
    if (byId) return byId;
    const name = ref.startsWith("/") ? ref : `/${ref}`;
    for (const c of this.containers.values()) if (c.json.Name === name) return c;
    if (ref && /^[a-f0-9]+$/.test(ref)) {
      const hits = [...this.containers.values()].filter((c) => c.json.Id.startsWith(ref));
      if (hits.length === 1) return hits[0]!;
      if (hits.length > 1) throw new InvalidParameterError(`multiple IDs found with provided prefix: ${ref}`);
    }
    throw noSuchContainer(ref);
  }

  inspect(ref: string): ContainerJSON {
    const c = this.find(ref);
    return structuredClone(c.json);
  }

  list(): ContainerJSON[] {
    return [...this.containers.values()].map((c) => c.json).sort((a, b) => (a.Created < b.Created ? 1 : a.Created > b.Created ? -1 : 0));
  }

  // ---------------------------------------------------------------- images

  /** Find an image locally; `null` if it is not there. */
  image(ref: string): ImageRecord | undefined {
    return this.images.resolve(ref);
  }

  async pull(ref: string, progress: (m: JsonMessage) => void): Promise<ImageRecord> {
    let named;
    try {
      named = parseReference(ref);
    } catch (e) {
      throw new InvalidParameterError((e as Error).message);
    }
    const rec = await pullImage(named, this.registry, this.images, progress).catch((e: unknown) => {
      throw e instanceof EngineError ? e : new NotFoundError((e as Error).message);
    });
    this.events.emit("image", "pull", familiarString(named), { name: familiarString(named) });
    return rec;
  }

  /** GET /images/{name}/json */
  imageInspect(img: ImageRecord): ImageInspect {
    const cfg = img.config.config ?? {};
    const full = (c: Partial<ContainerConfig>): ContainerConfig => ({
      Hostname: "", Domainname: "", User: "", AttachStdin: false, AttachStdout: false, AttachStderr: false,
      ...(c.ExposedPorts ? { ExposedPorts: c.ExposedPorts } : {}),
      Tty: false, OpenStdin: false, StdinOnce: false, Env: c.Env ?? null, Cmd: c.Cmd ?? null, Image: c.Image ?? "",
      Volumes: c.Volumes ?? null, WorkingDir: c.WorkingDir ?? "", Entrypoint: c.Entrypoint ?? null, OnBuild: c.OnBuild ?? null,
      Labels: c.Labels ?? null, ...(c.StopSignal ? { StopSignal: c.StopSignal } : {}),
      ...c,
    });
    const size = img.layers.reduce((n, l) => n + l.size, 0);
    return {
      Id: img.id,
      RepoTags: img.repoTags.map((t) => familiarString(parseReference(t))),
      RepoDigests: img.repoDigests.map((t) => familiarString(parseReference(t))),
      Parent: img.parent,
      Comment: img.config.comment ?? "",
      Created: img.config.created ?? ZERO_TIME,
      Container: img.config.container ?? "",
      ContainerConfig: full(img.config.container_config ?? {}),
      DockerVersion: img.config.docker_version ?? "",
      Author: img.config.author ?? "",
      Config: full(cfg),
      Architecture: img.config.architecture,
      Os: img.config.os,
      Size: size,
      VirtualSize: size,
      GraphDriver: { Data: { LowerDir: img.layers.map((l) => `${GUEST.layers}/${l.diffId.slice(7)}`).reverse().join(":") }, Name: "overlay2" },
      RootFS: { Type: "layers", Layers: img.layers.map((l) => l.diffId) },
      Metadata: { LastTagTime: img.lastTagTime },
    };
  }

  async tagImage(id: string, ref: NamedReference): Promise<void> {
    await this.images.tag(id, ref);
    this.events.emit("image", "tag", id, { name: familiarString(ref) });
  }

  /** docker rmi: untag, and delete the image once nothing names it (dockerd's ImageDelete). */
  async removeImage(ref: string, opts: { force?: boolean; noPrune?: boolean } = {}): Promise<({ Untagged: string } | { Deleted: string })[]> {
    const img = this.images.resolve(ref);
    if (!img) throw noSuchImage(ref);
    const out: ({ Untagged: string } | { Deleted: string })[] = [];
    const users = [...this.containers.values()].filter((c) => c.json.Image === img.id);
    const short = img.id.slice(7, 19);
    const byName = !img.id.slice(7).startsWith(ref.replace(/^sha256:/, "")) || img.repoTags.length === 0;
    let named: NamedReference | undefined;
    try {
      named = parseReference(ref);
    } catch {
      named = undefined;
    }
    const fullName = named ? referenceString(named) : "";
    if (byName && named && (img.repoTags.includes(fullName) || img.repoDigests.includes(fullName))) {
      const lastName = img.repoTags.length + img.repoDigests.filter((d) => !d.startsWith(`${named.domain}/${named.path}@`)).length <= 1;
      if (lastName && users.length && !opts.force) {
        const running = users.find((c) => c.json.State.Running);
        throw new ConflictError(
          running
            ? `conflict: unable to remove repository reference "${ref}" (must force) - container ${running.json.Id.slice(0, 12)} is using its referenced image ${short}`
            : `conflict: unable to remove repository reference "${ref}" (must force) - container ${users[0]!.json.Id.slice(0, 12)} is using its referenced image ${short}`,
        );
      }
      await this.images.untag(fullName);
      out.push({ Untagged: familiarString(named) });
      this.events.emit("image", "untag", img.id, { name: img.id });
      // The digest reference of the same repository goes with its last tag.
      const repo = `${named.domain}/${named.path}`;
      if (!img.repoTags.some((t) => t.startsWith(`${repo}:`))) {
        for (const d of img.repoDigests.filter((x) => x.startsWith(`${repo}@`))) {
          await this.images.untag(d);
          out.push({ Untagged: familiarString(parseReference(d)) });
        }
      }
      if (img.repoTags.length || img.repoDigests.length || users.length) return out;
    } else {
      if (img.repoTags.length > 1 && !opts.force) {
        throw new ConflictError(`conflict: unable to delete ${short} (must be forced) - image is referenced in multiple repositories`);
      }
      const running = users.find((c) => c.json.State.Running);
      if (running) throw new ConflictError(`conflict: unable to delete ${short} (cannot be forced) - image is being used by running container ${running.json.Id.slice(0, 12)}`);
      if (users.length && !opts.force) throw new ConflictError(`conflict: unable to delete ${short} (must be forced) - image is being used by stopped container ${users[0]!.json.Id.slice(0, 12)}`);
      for (const t of [...img.repoTags, ...img.repoDigests]) {
        await this.images.untag(t);
        out.push({ Untagged: familiarString(parseReference(t)) });
      }
      if (users.length) return out;
    }
    const kids = this.images.children(img.id);
    if (kids.length) throw new ConflictError(`conflict: unable to delete ${short} (cannot be forced) - image has dependent child images`);
    await this.images.delete(img.id);
    out.push({ Deleted: img.id });
    this.events.emit("image", "delete", img.id, { name: img.id });
    return out;
  }

  async layerTar(layer: ImageRecord["layers"][number]): Promise<Uint8Array> {
    const blob = await this.images.content.get(layer.blob);
    return isGzipLayer(layer.mediaType) ? gunzip(blob) : blob;
  }

  /** /etc/passwd and /etc/group of an image, from its topmost layer that has them. */
  private imageUserFiles(img: ImageRecord): Promise<{ passwd: string | null; group: string | null }> {
    let p = this.userFiles.get(img.id);
    if (!p) {
      p = (async () => {
        let passwd: string | null = null;
        let group: string | null = null;
        const dec = new TextDecoder();
        for (const layer of [...img.layers].reverse()) {
          const entries = readTar(await this.layerTar(layer));
          const file = (name: string) => entries.find((e) => e.name === name && e.type === "file");
          const p = file("etc/passwd");
          const g = file("etc/group");
          if (passwd === null && p) passwd = dec.decode(p.data);
          if (group === null && g) group = dec.decode(g.data);
          if (passwd !== null && group !== null) break;
        }
        return { passwd, group };
      })();
      this.userFiles.set(img.id, p);
    }
    return p;
  }

  // ---------------------------------------------------------------- files, snapshots and archives
  // cp, diff, commit, export (containers/filesystem.ts) and import, save, load, history
  // (images/snapshots.ts). A stopped container's upper folder is kept in the store as a
  // layer tar, so its files come back after a reload as they would from disk.

  private filesystem?: ContainerFilesystem;

  get files(): ContainerFilesystem {
    return (this.filesystem ??= new ContainerFilesystem(this.sandbox));
  }

  private savedRootfs(id: string): () => Promise<Uint8Array | null> {
    return () => this.storage.get(`rootfs/${id}.tar`);
  }

  /** Layers unpacked and the overlay mounted (the saved upper folder restored first after a reboot). */
  private async mountRootfs(c: Ctr): Promise<string[]> {
    if (c.removing) throw new ConflictError(`container ${c.json.Id} is marked for removal`);
    const img = this.images.get(c.json.Image);
    if (!img) throw new NotFoundError(`No such image: ${c.json.Config.Image}`);
    await this.runtime.prepare();
    await Promise.all(img.layers.map((l) => this.runtime.ensureLayer(l.diffId, () => this.layerTar(l))));
    const layers = img.layers.map((l) => l.diffId);
    await this.files.mount(c.json.Id, layers, this.savedRootfs(c.json.Id));
    return layers;
  }

  /** Before a run: bring back the saved upper folder after a reboot (no guest process otherwise). */
  private async restoreRootfs(c: Ctr, layers: string[]): Promise<void> {
    await this.files.restore(c.json.Id, layers, this.savedRootfs(c.json.Id));
  }

  /** After a run (not --rm): keep the upper folder as a layer tar in the store, or drop an empty one. */
  private async persistRootfs(c: Ctr): Promise<void> {
    const id = c.json.Id;
    try {
      const layers = await this.mountRootfs(c);
      const { tar, empty } = await this.files.layer(id, layers);
      if (!this.containers.has(id) || c.removing) return;
      if (empty) await this.storage.delete(`rootfs/${id}.tar`);
      else await this.storage.put(`rootfs/${id}.tar`, tar);
    } catch {
      // Removed meanwhile, or the VM went away: the last saved state stays.
    }
  }

  private fileNotFound(ref: string, path: string): NotFoundError {
    return new NotFoundError(`Could not find the file ${path} in container ${ref}`);
  }

  /** HEAD /containers/{id}/archive */
  async statPath(ref: string, path: string): Promise<PathStat> {
    const c = this.find(ref);
    await this.mountRootfs(c);
    const st = await this.files.stat(c.json.Id, path);
    if (!st) throw this.fileNotFound(ref, path);
    return st;
  }

  /** GET /containers/{id}/archive: the path's stat and a tar of it. */
  async getArchive(ref: string, path: string): Promise<{ stat: PathStat; tar: Uint8Array }> {
    const c = this.find(ref);
    await this.mountRootfs(c);
    // "/a/" archives "a" as "/a" does, once it is known to be a folder.
    const r = await this.files.archive(c.json.Id, path.length > 1 ? path.replace(/\/+$/, "") || "/" : path);
    if (!r) throw this.fileNotFound(ref, path);
    if (path.endsWith("/") && !isDirMode(r.stat.mode)) throw new InvalidParameterError("not a directory");
    this.events.emit("container", "archive-path", c.json.Id, this.attrs(c, { path }));
    return r;
  }

  /** PUT /containers/{id}/archive: unpack a tar into a folder of the container. */
  async putArchive(ref: string, path: string, tar: Uint8Array, opts: { copyUidGid?: boolean } = {}): Promise<void> {
    const c = this.find(ref);
    if (c.json.HostConfig.ReadonlyRootfs) throw new InvalidParameterError("container rootfs is marked read-only");
    await this.mountRootfs(c);
    try {
      await this.files.extract(c.json.Id, path, tar, !!opts.copyUidGid);
    } catch (e) {
      if (e instanceof PathNotFoundError) throw this.fileNotFound(ref, path);
      if (e instanceof NotADirectoryError) throw new InvalidParameterError("extraction point is not a directory");
      throw e;
    }
    this.events.emit("container", "extract-to-dir", c.json.Id, this.attrs(c, { path }));
    if (!c.json.State.Running) await this.persistRootfs(c);
  }

  /** GET /containers/{id}/changes */
  async containerChanges(ref: string): Promise<Change[]> {
    const c = this.find(ref);
    const layers = await this.mountRootfs(c);
    return this.files.changes(c.json.Id, layers);
  }

  /** POST /commit: the container's changes as a new image. Returns the image ID. */
  async commit(ref: string, opts: { repo?: string; tag?: string; author?: string; comment?: string; changes?: readonly string[]; pause?: boolean }): Promise<string> {
    const c = this.find(ref);
    const img = this.images.get(c.json.Image);
    if (!img) throw new NotFoundError(`No such image: ${c.json.Image}`);
    let named: NamedReference | undefined;
    if (opts.repo) {
      try {
        named = parseNormalizedNamed(opts.tag ? `${opts.repo}:${opts.tag}` : opts.repo);
      } catch (e) {
        throw new InvalidParameterError((e as Error).message);
      }
    }
    let config;
    try {
      config = mergeCommitConfig(applyChanges(c.json.Config, opts.changes ?? []), c.json.Config);
    } catch (e) {
      if (e instanceof ChangeError) throw new InvalidParameterError(e.message);
      throw e;
    }
    const pause = opts.pause !== false && c.json.State.Running && !c.json.State.Paused;
    if (pause) await this.pause(c.json.Id);
    let layer;
    try {
      layer = await this.files.layer(c.json.Id, await this.mountRootfs(c));
    } finally {
      if (pause) await this.unpause(c.json.Id).catch(() => {});
    }
    const rec = await commitImage(this.images, {
      parent: img,
      layer: layer.tar,
      author: opts.author ?? "",
      comment: opts.comment ?? "",
      containerId: c.json.Id,
      containerConfig: c.json.Config,
      config,
      dockerVersion: ENGINE.version,
    });
    if (named) await this.images.tag(rec.id, named);
    this.events.emit("container", "commit", c.json.Id, this.attrs(c, { comment: opts.comment ?? "", imageID: rec.id, imageRef: named ? familiarString(named) : "" }));
    return rec.id;
  }

  /** GET /containers/{id}/export: a tar of the container's filesystem. */
  async exportContainer(ref: string): Promise<Uint8Array> {
    const c = this.find(ref);
    await this.mountRootfs(c);
    const tar = await this.files.export(c.json.Id);
    this.events.emit("container", "export", c.json.Id, this.attrs(c));
    return tar;
  }

  /** POST /images/create?fromSrc=-: a filesystem tar as a new image. */
  async importImage(data: Uint8Array, opts: { repo?: string; tag?: string; message?: string; changes?: readonly string[] } = {}): Promise<string> {
    let named: NamedReference | undefined;
    if (opts.repo) {
      try {
        named = parseNormalizedNamed(opts.repo);
        if (opts.tag) named = parseNormalizedNamed(`${familiarString(named)}:${opts.tag}`);
      } catch (e) {
        throw new InvalidParameterError((e as Error).message);
      }
    }
    let rec;
    try {
      rec = await importImage(this.images, { data, changes: opts.changes ?? [], message: opts.message || "Imported from -", dockerVersion: ENGINE.version });
    } catch (e) {
      if (e instanceof ChangeError) throw new InvalidParameterError(e.message);
      throw e;
    }
    if (named) await this.images.tag(rec.id, tagNameOnly(named));
    this.events.emit("image", "import", rec.id, { name: rec.id });
    return rec.id;
  }

  /** GET /images/get: a docker-archive of the named images. */
  async saveImages(names: readonly string[]): Promise<Uint8Array> {
    let picks;
    try {
      picks = resolveSaveNames(this.images, names);
    } catch (e) {
      if (e instanceof ReferenceNotFoundError) throw new NotFoundError(e.message);
      throw e;
    }
    const tar = await saveImages(this.images, picks, (l) => this.layerTar(l));
    for (const p of picks) this.events.emit("image", "save", p.img.id, { name: p.img.id });
    return tar;
  }

  /** POST /images/load: every image of a docker-archive or OCI-layout tar, with dockerd's stream messages. */
  async loadImages(data: Uint8Array, progress: (m: JsonMessage) => void): Promise<ImageRecord[]> {
    const { images } = await loadImages(this.images, data, progress);
    for (const img of images) this.events.emit("image", "load", img.id, { name: img.id });
    return images;
  }

  /** GET /images/{name}/history */
  imageHistory(ref: string): HistoryItem[] {
    const img = this.images.resolve(ref);
    if (!img) throw noSuchImage(ref);
    return imageHistory(img, (id) => this.images.get(id), (t) => familiarString(parseReference(t)));
  }

  // ---------------------------------------------------------------- containers

  private uniqueName(): string {
    for (let i = 0; i < 10; i++) {
      const n = getRandomName(i);
      if (!this.nameTaken(n)) return n;
    }
    return randomId().slice(0, 12);
  }

  private nameTaken(name: string): Ctr | undefined {
    for (const c of this.containers.values()) if (c.json.Name === `/${name}`) return c;
    return undefined;
  }

  async create(req: CreateRequest): Promise<{ Id: string; Warnings: string[] }> {
    // dockerd checks the settings before it looks for the image (verifyContainerSettings);
    // what the kernel cannot apply is dropped from a copy, with a warning.
    const hostConfig = req.hostConfig ? { ...req.hostConfig } : undefined;
    let warnings: string[] = [];
    if (hostConfig) {
      verifyRealtime(hostConfig);
      const rp = hostConfig.RestartPolicy;
      if (rp && rp.Name !== "on-failure" && rp.MaximumRetryCount > 0) {
        throw new InvalidParameterError(`maximum retry count cannot be used with restart policy '${rp.Name}'`);
      }
      if (rp && hostConfig.AutoRemove && rp.Name !== "no" && rp.Name !== "") {
        throw new InvalidParameterError("can't create 'AutoRemove' container with restart policy");
      }
      const uts = hostConfig.UTSMode ?? "";
      if (uts !== "" && uts !== "host") throw new InvalidParameterError(`invalid UTS mode: ${uts}`);
      if (uts === "host" && req.config.Hostname) throw new InvalidParameterError("conflicting options: hostname and the UTS mode");
      const isolation = hostConfig.Isolation ?? "";
      if (isolation !== "" && isolation !== "default") throw new InvalidParameterError(`Invalid isolation: "${isolation}" - linux only supports 'default'`);
      warnings = verifyResources(hostConfig, await this.sysInfo(), false);
      if ((hostConfig.ShmSize ?? 0) < 0) throw new InvalidParameterError("SHM size can not be less than 0");
      const adj = hostConfig.OomScoreAdj ?? 0;
      if (adj < -1000 || adj > 1000) throw new InvalidParameterError(`Invalid value ${adj}, range for oom score adj is [-1000, 1000]`);
      parseSecurityOpt(hostConfig.SecurityOpt);
      // crun is the one runtime in the VM.
      if (hostConfig.Runtime && hostConfig.Runtime !== "crun") throw new InvalidParameterError(`Unknown runtime specified ${hostConfig.Runtime}`);
      req = { ...req, hostConfig };
    }
    const img = this.images.resolve(req.config.Image);
    if (!img) throw noSuchImage(req.config.Image);
    if (req.name !== undefined && req.name !== "") {
      const n = req.name.replace(/^\//, "");
      if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(n)) {
        throw new InvalidParameterError(`Invalid container name (${n}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
      }
      const other = this.nameTaken(n);
      if (other) {
        throw new ConflictError(
          `Conflict. The container name "/${n}" is already in use by container "${other.json.Id}". You have to remove (or rename) that container to be able to reuse that name.`,
        );
      }
    }
    // adaptSharedNamespaceContainer: the container to share pids with is kept by ID, so renaming it breaks nothing.
    const pidFrom = pidModeContainer(req.hostConfig?.PidMode ?? "");
    if (pidFrom !== undefined) req = { ...req, hostConfig: { ...req.hostConfig, PidMode: `container:${this.find(pidFrom).json.Id}` } };
    const id = randomId();
    const name = req.name ? req.name.replace(/^\//, "") : this.uniqueName();
    const ref = req.config.Image;
    let json: ContainerJSON;
    try {
      json = newContainer(id, name, req, img, ref);
    } catch (e) {
      // dockerd answers an image without Cmd or Entrypoint with a 400.
      if (e instanceof NoCommandError) throw new InvalidParameterError(e.message);
      throw e;
    }
    const c: Ctr = { json, logs: new LogBuffer(), output: new Set(), exited: Promise.resolve({ code: 0 }), manualStop: false, removing: false };
    this.containers.set(id, c);
    await this.save(c);
    this.events.emit("container", "create", id, this.attrs(c));
    return { Id: id, Warnings: warnings };
  }

  private attrs(c: Ctr, extra: Record<string, string> = {}): Record<string, string> {
    return { ...(c.json.Config.Labels ?? {}), image: c.json.Config.Image, name: c.json.Name.slice(1), ...extra };
  }

  /** Listen to a container's live output (attach). Returns an unsubscribe. */
  attachOutput(ref: string, cb: OutputListener): () => void {
    const c = this.find(ref);
    c.output.add(cb);
    return () => c.output.delete(cb);
  }

  /** The running process of a container, for `docker attach`. */
  attachable(ref: string): { id: string; proc: GuestProcess; tty: boolean; openStdin: boolean } {
    const c = this.find(ref);
    if (!c.json.State.Running || !c.proc) throw new ConflictError("You cannot attach to a stopped container, start it first");
    if (c.json.State.Paused) throw new ConflictError("You cannot attach to a paused container, unpause it first");
    if (c.json.State.Restarting) throw new ConflictError("You cannot attach to a restarting container, wait until it is running");
    this.events.emit("container", "attach", c.json.Id, this.attrs(c));
    return { id: c.json.Id, proc: c.proc, tty: c.json.Config.Tty, openStdin: c.json.Config.OpenStdin };
  }

  /** Send bytes to a running container's stdin (attach with -i). */
  writeStdin(ref: string, data: Uint8Array | null): void {
    const c = this.find(ref);
    if (!c.proc) {
      // Attach comes before start: keep the input (bounded) for the process about to run.
      if (!c.json.Config.OpenStdin) return;
      const q = (c.stdinQueue ??= []);
      if (q.reduce((n, d) => n + (d?.length ?? 0), 0) + (data?.length ?? 0) <= 1 << 20) q.push(data);
      return;
    }
    if (data === null) c.proc.closeStdin();
    else c.proc.write(data);
  }

  resize(ref: string, rows: number, cols: number): void {
    const c = this.find(ref);
    if (!c.json.State.Running) throw new ConflictError(`Container ${c.json.Id} is not running`);
    c.proc?.resize(rows, cols);
  }

  /** Start a container. With `confirm`, resolve once crun reports it running (or it already ended). */
  async start(ref: string, io: StartIo = {}, confirm = true): Promise<void> {
    const c = this.find(ref);
    if (c.starting) return c.starting;
    const s = c.json.State;
    if (s.Paused) throw new ConflictError("cannot start a paused container, try unpause instead");
    if (s.Running) throw new NotModifiedError("container already started");
    if (c.removing) throw new ConflictError(`container is marked for removal and cannot be started`);
    // An attached start (run without -d, start -a) is an attach first, as the CLI attaches before it starts.
    if (io.onOutput) this.events.emit("container", "attach", c.json.Id, this.attrs(c));
    c.starting = this.doStart(c, io, confirm)
      .catch(async (e: unknown) => {
        // A --rm container that could not start is removed, as dockerd does, so `wait removed` ends.
        if (c.json.HostConfig.AutoRemove && !c.removing && !c.json.State.Running) {
          c.starting = undefined;
          await this.remove(c.json.Id, { force: true }).catch(() => {});
        }
        throw e;
      })
      .finally(() => (c.starting = undefined));
    return c.starting;
  }

  private async doStart(c: Ctr, io: StartIo, confirm: boolean): Promise<void> {
    clearTimeout(c.restartTimer);
    const img = this.images.get(c.json.Image);
    if (!img) throw new NotFoundError(`No such image: ${c.json.Config.Image}`);
    await this.runtime.prepare();
    await Promise.all(img.layers.map((l) => this.runtime.ensureLayer(l.diffId, () => this.layerTar(l))));
    await this.restoreRootfs(c, img.layers.map((l) => l.diffId));
    const files = await this.imageUserFiles(img);
    let user;
    try {
      user = resolveUser(c.json.Config.User, files.passwd, files.group);
    } catch (e) {
      if (e instanceof UserError) throw this.failStart(c, `unable to find user ${c.json.Config.User.split(":")[0]}: no matching entries in passwd file`, 126, e.message);
      throw e;
    }
    const hc = c.json.HostConfig;
    try {
      user = withGroupAdd(user, hc.GroupAdd, files.group);
    } catch (e) {
      if (e instanceof UserError) throw this.failStart(c, e.message, 128);
      throw e;
    }
    // Before the address is taken, so a refusal leaves nothing to give back.
    const sharedPidNs = await this.sharedPidNamespace(c);
    const networked = hc.NetworkMode !== "none" && hc.NetworkMode !== "host";
    const ip = networked ? this.ipam.allocate() : undefined;
    const mac = ip ? macFor(ip) : "";
    const sandboxId = randomId();
    const env = [...(c.json.Config.Env ?? [])];
    if (!env.some((e) => e.startsWith("HOSTNAME="))) env.splice(1, 0, `HOSTNAME=${c.json.Config.Hostname}`);
    if (c.json.Config.Tty && !env.some((e) => e.startsWith("TERM="))) env.push("TERM=xterm");
    if (!env.some((e) => e.startsWith("HOME="))) env.push(`HOME=${user.home || "/"}`);
    const dir = containerDir(c.json.Id);
    const spec = ociSpec({
      container: { ...c.json, Config: { ...c.json.Config, Env: env } },
      rootfs: `${dir}/rootfs`,
      dir,
      netns: ip ? netnsPath(sandboxId) : undefined,
      user,
      initPath: GUEST.init,
      consoleSize: io.size,
      sharedPidNs,
    });
    const hostname = c.json.Config.Hostname;
    const hosts = `127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n${ip ? `${ip}\t${hostname}\n` : ""}`;
    const resolvConf = "# Berth has no DNS server on the default bridge yet (as Docker without one).\nnameserver 127.0.0.11\n";
    let resolveExit!: (r: RunResult) => void;
    c.exited = new Promise<RunResult>((r) => (resolveExit = r));
    c.resolveExit = resolveExit;
    if (io.onOutput) c.output.add(io.onOutput);
    // crun's own line about a process it could not start is not the container's output.
    const hold = new FailureLineHold((stream, d) => {
      c.logs.write(stream, d);
      for (const l of c.output) l(stream, d);
    });
    const emit = (stream: StreamName) => (d: Uint8Array) => hold.write(stream, d);
    let proc: GuestProcess;
    try {
      proc = await this.runtime.start(
        {
          id: c.json.Id,
          layers: img.layers.map((l) => l.diffId),
          configJson: ociJson(spec),
          hostname,
          hosts,
          resolvConf,
          network: ip ? { ip, mac, sandbox: sandboxId } : undefined,
          tty: c.json.Config.Tty,
          size: io.size,
          autoRemove: c.json.HostConfig.AutoRemove,
        },
        { onStdout: emit("stdout"), onStderr: emit("stderr") },
      );
    } catch (e) {
      if (ip) this.ipam.release(ip);
      if (io.onOutput) c.output.delete(io.onOutput);
      throw new EngineError(`failed to start the container process: ${(e as Error).message}`);
    }
    c.proc = proc;
    io.onProcess?.(proc);
    // Without -i the container's stdin is at EOF, as dockerd gives it (`docker run busybox sh` exits at once).
    if (!c.json.Config.OpenStdin && !c.json.Config.Tty) proc.closeStdin();
    c.manualStop = false;
    for (const d of c.stdinQueue?.splice(0) ?? []) {
      if (d === null) proc.closeStdin();
      else proc.write(d);
    }
    const startedAt = now();
    c.prevStartedAt = c.json.State.StartedAt;
    Object.assign(c.json.State, { Status: "running", Running: true, Paused: false, Restarting: false, OOMKilled: false, Dead: false, Pid: proc.pid, ExitCode: 0, Error: "", StartedAt: startedAt, FinishedAt: ZERO_TIME });
    if (ip) {
      this.setNetwork(c, ip, mac, sandboxId);
      this.events.emit("network", "connect", BRIDGE_NETWORK_ID, { container: c.json.Id, name: "bridge", type: "bridge" });
    }
    this.events.emit("container", "start", c.json.Id, this.attrs(c));
    const ended = proc.exited.then((st) => this.onExit(c, st.code ?? 128 + (st.signal ?? 0), ip, io.onOutput, hold));
    if (confirm) {
      // crun writes its pid file once the container exists; a process that cannot start
      // ends the run instead.
      const pid = await this.runtime.createdPid(c.json.Id, ended);
      if (pid && c.json.State.Running) c.json.State.Pid = pid;
      if (c.json.State.Error) throw new StartError(c.json.State.Error);
    }
    // dockerd checkpoints a started container to disk before answering, so a reload
    // straight after `docker run -d` finds it (exited), not "created".
    if (c.json.State.Running) await this.saveNow(c);
  }

  /** getPidContainer: for PidMode container:<id>, the pid namespace of that running container. */
  private async sharedPidNamespace(c: Ctr): Promise<string | undefined> {
    const ref = pidModeContainer(c.json.HostConfig.PidMode);
    if (ref === undefined) return undefined;
    const fail = (msg: string) => this.failStart(c, msg, c.json.State.ExitCode || 128);
    let other: Ctr;
    try {
      other = this.find(ref);
    } catch (e) {
      if (e instanceof NotFoundError) throw fail(`cannot join PID of a non running container: ${ref}: ${e.message}`);
      throw e;
    }
    // dockerd's restarting container still counts as running; Berth's does not, so this comes first.
    if (other.json.State.Restarting) throw fail(`Container ${other.json.Id} is restarting, wait until the container is running`);
    if (!other.json.State.Running) throw fail(`container ${other.json.Id} is not running`);
    // crun's pid file names the container's init; State.Pid may still be the launcher's after a restart.
    const pid = (await this.runtime.createdPid(other.json.Id, Promise.resolve())) ?? other.json.State.Pid;
    return `/proc/${pid}/ns/pid`;
  }

  private failStart(c: Ctr, message: string, exitCode: number, detail?: string): EngineError {
    Object.assign(c.json.State, { Status: "created", Running: false, ExitCode: exitCode, Error: detail ?? message });
    this.scheduleSave(c);
    return new StartError(message);
  }

  private setNetwork(c: Ctr, ip: string, mac: string, sandboxId: string): void {
    const ns = c.json.NetworkSettings;
    const endpoint = randomId();
    Object.assign(ns, {
      SandboxID: sandboxId,
      SandboxKey: netnsPath(sandboxId),
      EndpointID: endpoint,
      Gateway: BRIDGE.gateway,
      IPAddress: ip,
      IPPrefixLen: BRIDGE.prefix,
      MacAddress: mac,
    });
    const br = ns.Networks.bridge;
    if (br) Object.assign(br, { NetworkID: BRIDGE_NETWORK_ID, EndpointID: endpoint, Gateway: BRIDGE.gateway, IPAddress: ip, IPPrefixLen: BRIDGE.prefix, MacAddress: mac });
  }

  private clearNetwork(c: Ctr): void {
    const ns = c.json.NetworkSettings;
    if (ns.IPAddress) this.ipam.release(ns.IPAddress);
    Object.assign(ns, { SandboxID: "", SandboxKey: "", EndpointID: "", Gateway: "", IPAddress: "", IPPrefixLen: 0, MacAddress: "" });
    const br = ns.Networks.bridge;
    if (br) Object.assign(br, { EndpointID: "", Gateway: "", IPAddress: "", IPPrefixLen: 0, MacAddress: "" });
  }

  private async onExit(c: Ctr, code: number, ip: string | undefined, listener: OutputListener | undefined, hold: FailureLineHold): Promise<void> {
    c.proc = undefined;
    // The run's own teardown left crun's error log and the OOM count in the share.
    const report = await this.runtime.exitReport(c.json.Id);
    const crunError = report?.crunLog.trim() ?? "";
    const startFailure = crunError ? runtimeStartError(crunError, c.json.Path) : undefined;
    if (startFailure) hold.take();
    else hold.flush();
    c.logs.flush();
    const oomKilled = !!report?.oomKilled && code === 137;
    c.rootfsRemoved = !!c.json.HostConfig.AutoRemove;
    if (ip) this.ipam.release(ip);
    this.clearNetwork(c);
    if (listener) c.output.delete(listener);
    const s = c.json.State;
    if (startFailure) {
      Object.assign(s, { Status: "created", Running: false, Pid: 0, ExitCode: startFailure.exitCode, Error: startFailure.message, StartedAt: c.prevStartedAt ?? ZERO_TIME, FinishedAt: ZERO_TIME });
    } else {
      Object.assign(s, { Status: "exited", Running: false, Paused: false, Restarting: false, Pid: 0, ExitCode: code, OOMKilled: oomKilled, FinishedAt: now() });
    }
    if (oomKilled) this.events.emit("container", "oom", c.json.Id, this.attrs(c));
    this.events.emit("container", "die", c.json.Id, this.attrs(c, { exitCode: String(s.ExitCode) }));
    if (ip) this.events.emit("network", "disconnect", BRIDGE_NETWORK_ID, { container: c.json.Id, name: "bridge", type: "bridge" });
    const result = startFailure ? { code: s.ExitCode, error: startFailure.message } : { code: s.ExitCode };
    // The exit is on disk before anyone hears of it, so a reload right after `docker run`
    // still finds the container exited with its code (dockerd checkpoints the same way).
    if (!c.json.HostConfig.AutoRemove) {
      await this.saveNow(c);
      void this.persistRootfs(c);
    }
    if (c.json.HostConfig.AutoRemove && !c.removing) {
      // docker run --rm returns once the container is gone.
      await this.remove(c.json.Id, { force: true }).catch(() => {});
      c.resolveExit?.(result);
      this.notifyExit(c, result);
      return;
    }
    c.resolveExit?.(result);
    this.notifyExit(c, result);
    if (!startFailure) this.applyRestartPolicy(c);
  }

  private applyRestartPolicy(c: Ctr): void {
    const p = c.json.HostConfig.RestartPolicy;
    if (c.manualStop || c.removing) return;
    const code = c.json.State.ExitCode;
    const again =
      p.Name === "always" ||
      p.Name === "unless-stopped" ||
      (p.Name === "on-failure" && code !== 0 && (p.MaximumRetryCount === 0 || c.json.RestartCount < p.MaximumRetryCount));
    if (!again) return;
    // dockerd backs off from 100 ms, doubling up to a minute.
    const delay = Math.min(60000, 100 * 2 ** Math.min(c.json.RestartCount, 10));
    Object.assign(c.json.State, { Status: "restarting", Restarting: true });
    c.restartTimer = setTimeout(() => {
      if (c.manualStop || c.removing || !this.containers.has(c.json.Id)) return;
      c.json.RestartCount++;
      this.events.emit("container", "restart", c.json.Id, this.attrs(c));
      this.doStart(c, {}, false).catch((e: unknown) => {
        Object.assign(c.json.State, { Status: "exited", Restarting: false, Error: (e as Error).message });
      });
    }, delay);
  }

  /** Wait for the container to stop running (docker wait). */
  async waitResult(ref: string, condition: "not-running" | "next-exit" | "removed" = "not-running"): Promise<RunResult> {
    const c = this.find(ref);
    const s = c.json.State;
    // next-exit and removed may be asked before the container starts (docker run does so),
    // so they wait for events, not for the current run's promise.
    if (condition === "next-exit") return new Promise((res) => (c.exitWaiters ??= new Set()).add(res));
    if (condition === "removed") return new Promise((res) => (c.removeWaiters ??= new Set()).add(res));
    if (!s.Running && !s.Restarting && !c.starting) return { code: s.ExitCode, ...(s.Error ? { error: s.Error } : {}) };
    if (c.starting) await c.starting.catch(() => {});
    return c.exited;
  }

  private notifyExit(c: Ctr, r: RunResult): void {
    const waiters = c.exitWaiters;
    c.exitWaiters = undefined;
    for (const w of waiters ?? []) w(r);
  }

  async kill(ref: string, signal = "SIGKILL"): Promise<void> {
    const c = this.find(ref);
    const num = signalNumber(signal);
    if (!c.json.State.Running) throw new ConflictError(`Cannot kill container: ${ref}: Container ${c.json.Id} is not running`);
    c.manualStop = true;
    clearTimeout(c.restartTimer);
    await this.runtime.kill(c.json.Id, String(num));
    this.events.emit("container", "kill", c.json.Id, this.attrs(c, { signal: String(num) }));
    // dockerd's Kill: SIGKILL returns once the exit is recorded (waiting at most 10 s); other signals at once.
    if (num === 9) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([c.exited, new Promise((r) => (timer = setTimeout(r, 10000)))]);
      clearTimeout(timer);
    }
  }

  /** Stop: STOPSIGNAL (default SIGTERM), then SIGKILL after the timeout. */
  async stop(ref: string, timeoutSec?: number): Promise<void> {
    const c = this.find(ref);
    clearTimeout(c.restartTimer);
    c.manualStop = true;
    if (c.json.State.Restarting) {
      Object.assign(c.json.State, { Status: "exited", Restarting: false });
      return;
    }
    if (!c.json.State.Running) throw new NotModifiedError("container already stopped");
    if (c.json.State.Paused) await this.runtime.resume(c.json.Id).catch(() => {});
    const t = timeoutSec ?? c.json.Config.StopTimeout ?? 10;
    const sig = signalNumber(c.json.Config.StopSignal || "SIGTERM");
    await this.runtime.kill(c.json.Id, String(sig)).catch(() => {});
    this.events.emit("container", "kill", c.json.Id, this.attrs(c, { signal: String(sig) }));
    const exited = await Promise.race([c.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), Math.max(0, t) * 1000))]);
    if (!exited) {
      await this.runtime.kill(c.json.Id, "9").catch(() => {});
      this.events.emit("container", "kill", c.json.Id, this.attrs(c, { signal: "9" }));
      await c.exited;
    }
    this.events.emit("container", "stop", c.json.Id, this.attrs(c));
  }

  async restart(ref: string, timeoutSec?: number): Promise<void> {
    const c = this.find(ref);
    if (c.json.State.Running) await this.stop(ref, timeoutSec);
    await this.start(c.json.Id);
    this.events.emit("container", "restart", c.json.Id, this.attrs(c));
  }

  async pause(ref: string): Promise<void> {
    const c = this.find(ref);
    if (!c.json.State.Running) throw new ConflictError(`Container ${c.json.Id} is not running`);
    if (c.json.State.Paused) throw new ConflictError(`Container ${c.json.Id} is already paused`);
    await this.runtime.pause(c.json.Id);
    Object.assign(c.json.State, { Status: "paused", Paused: true });
    this.events.emit("container", "pause", c.json.Id, this.attrs(c));
    this.scheduleSave(c);
  }

  async unpause(ref: string): Promise<void> {
    const c = this.find(ref);
    if (!c.json.State.Paused) throw new ConflictError(`Container ${c.json.Id} is not paused`);
    await this.runtime.resume(c.json.Id);
    Object.assign(c.json.State, { Status: "running", Paused: false });
    this.events.emit("container", "unpause", c.json.Id, this.attrs(c));
    this.scheduleSave(c);
  }

  async rename(ref: string, newName: string): Promise<void> {
    const c = this.find(ref);
    const n = newName.replace(/^\//, "");
    if (!n) throw new InvalidParameterError("Neither old nor new names may be empty");
    if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(n)) throw new InvalidParameterError(`Invalid container name (${n}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
    if (c.json.Name === `/${n}`) throw new InvalidParameterError("Renaming a container with the same name as its current name");
    const other = this.nameTaken(n);
    if (other) throw new ConflictError(`Conflict. The container name "/${n}" is already in use by container "${other.json.Id}". You have to remove (or rename) that container to be able to reuse that name.`);
    const old = c.json.Name.slice(1);
    c.json.Name = `/${n}`;
    this.events.emit("container", "rename", c.json.Id, this.attrs(c, { oldName: `/${old}` }));
    this.scheduleSave(c);
  }

  async remove(ref: string, opts: { force?: boolean } = {}): Promise<void> {
    const c = this.find(ref);
    if (c.json.State.Running && !opts.force) {
      if (c.json.State.Paused) throw new ConflictError(`You cannot remove a paused container ${c.json.Id}. Unpause and then stop the container before attempting removal or force remove`);
      throw new ConflictError(`You cannot remove a running container ${c.json.Id}. Stop the container before attempting removal or force remove`);
    }
    if (c.removing && !c.json.HostConfig.AutoRemove) throw new ConflictError(`removal of container ${c.json.Id} is already in progress`);
    c.removing = true;
    clearTimeout(c.restartTimer);
    c.manualStop = true;
    if (c.json.State.Running) {
      if (c.json.State.Paused) await this.runtime.resume(c.json.Id).catch(() => {});
      await this.runtime.kill(c.json.Id, "9").catch(() => {});
      this.events.emit("container", "kill", c.json.Id, this.attrs(c, { signal: "9" }));
      await c.exited;
    }
    if (!c.rootfsRemoved) await this.runtime.cleanup(c.json.Id, true).catch(() => {});
    await this.storage.delete(`rootfs/${c.json.Id}.tar`);
    this.files.forget(c.json.Id);
    this.containers.delete(c.json.Id);
    clearTimeout(this.saveTimers.get(c.json.Id));
    this.saveTimers.delete(c.json.Id);
    // A write already under way would bring the record back after the delete.
    await this.saveChains.get(c.json.Id);
    await this.storage.delete(`containers/${c.json.Id}.json`);
    this.events.emit("container", "destroy", c.json.Id, this.attrs(c));
    const s = c.json.State;
    const last: RunResult = { code: s.ExitCode, ...(s.Error ? { error: s.Error } : {}) };
    this.notifyExit(c, last);
    const waiters = c.removeWaiters;
    c.removeWaiters = undefined;
    for (const w of waiters ?? []) w(last);
  }

  logs(ref: string): LogBuffer {
    return this.find(ref).logs;
  }

  /** `docker top`: the container's processes, read from the guest's /proc like `ps -ef`. */
  async top(ref: string, psArgs: readonly string[]): Promise<{ Titles: string[]; Processes: string[][] }> {
    const c = this.find(ref);
    if (!c.json.State.Running) throw new ConflictError(`Container ${c.json.Id} is not running`);
    if (psArgs.length) throw new InvalidParameterError("Berth's docker top supports only the default ps format");
    const text = await this.runtime.run(["sh", "-c", TOP_SCRIPT, "sh", `/sys/fs/cgroup/docker/${c.json.Id}`]);
    const [head = "", ...rows] = text.split("\n").filter(Boolean);
    return { Titles: head.split("\t"), Processes: rows.map((r) => r.split("\t")) };
  }

  /** docker update: check, merge into the record, and write a running container's cgroup files. */
  async update(ref: string, req: UpdateRequest): Promise<{ Warnings: string[] }> {
    const c = this.find(ref);
    req = { ...req };
    const warnings = verifyResources(req, await this.sysInfo(), true);
    if (c.removing) throw new ConflictError(`Cannot update container ${c.json.Id}: container is marked for removal and cannot be "update"`);
    let next;
    try {
      next = applyUpdate(c.json.HostConfig, req);
      if (c.json.State.Running && !c.json.State.Restarting) await this.runtime.writeCgroupFiles(c.json.Id, cgroupLimits(next));
    } catch (e) {
      if (e instanceof CannotUpdateError || e instanceof GuestError) throw new EngineError(`Cannot update container ${c.json.Id}: ${(e as Error).message}`);
      throw e;
    }
    c.json.HostConfig = next;
    this.scheduleSave(c);
    this.events.emit("container", "update", c.json.Id, this.attrs(c));
    return { Warnings: warnings };
  }

  /** Whether a container with this full ID exists. */
  exists(id: string): boolean {
    return this.containers.has(id);
  }

  /** One stats frame per container (GET /containers/{id}/stats?stream=0 without priming), read together in the guest. */
  stats(refs: readonly string[]): Promise<StatsJSON[]> {
    const targets = refs.map((r) => {
      const c = this.find(r).json;
      return { id: c.Id, name: c.Name, pid: c.State.Running && !c.State.Restarting ? c.State.Pid : 0 };
    });
    return sampleStats((argv) => this.runtime.run(argv), targets);
  }

  /** Size of each container's writable layer, and of its whole rootfs (docker ps -s). */
  async containerSizes(ids: readonly string[]): Promise<Map<string, { rw: number; rootfs: number }>> {
    const out = new Map<string, { rw: number; rootfs: number }>();
    if (!ids.length) return out;
    const text = await this.runtime.run(["sh", "-c", `for d in "$@"; do echo "$(basename $d) $(du -sk $d/upper 2>/dev/null | cut -f1)"; done`, "sh", ...ids.map(containerDir)]);
    for (const line of text.split("\n")) {
      const [id, kb] = line.split(" ");
      const c = id ? this.containers.get(id) : undefined;
      if (!c) continue;
      const rw = Number(kb || 0) * 1024;
      const img = this.images.get(c.json.Image);
      out.set(id!, { rw, rootfs: rw + (img ? img.layers.reduce((n, l) => n + l.size, 0) : 0) });
    }
    return out;
  }

  // ---------------------------------------------------------------- exec

  execCreate(ref: string, cfg: ExecConfig): string {
    const c = this.find(ref);
    if (!c.json.State.Running) throw new ConflictError(`Container ${c.json.Id} is not running`);
    if (c.json.State.Paused) throw new ConflictError(`Container ${c.json.Id} is paused, unpause the container before exec`);
    if (!cfg.Cmd.length) throw new InvalidParameterError("No exec command specified");
    const id = randomId();
    this.execs.set(id, {
      ID: id,
      ContainerID: c.json.Id,
      Running: false,
      ExitCode: null,
      Pid: 0,
      ProcessConfig: { tty: !!cfg.Tty, entrypoint: cfg.Cmd[0]!, arguments: cfg.Cmd.slice(1), privileged: !!cfg.Privileged, user: cfg.User ?? "" },
      OpenStdin: !!cfg.AttachStdin,
      OpenStderr: !!cfg.AttachStderr,
      OpenStdout: !!cfg.AttachStdout,
      CanRemove: false,
      DetachKeys: "",
      config: cfg,
    });
    c.json.ExecIDs = [...(c.json.ExecIDs ?? []), id];
    // dockerd's action is "exec_create: " + entrypoint + " " + args, so a bare command ends in a space.
    this.events.emit("container", `exec_create: ${cfg.Cmd[0]} ${cfg.Cmd.slice(1).join(" ")}`, c.json.Id, this.attrs(c, { execID: id }));
    return id;
  }

  execInspect(id: string): ExecRecord {
    const e = this.execs.get(id);
    if (!e) throw new NotFoundError(`No such exec instance: ${id}`);
    return e;
  }

  /** Run an exec; resolves with the process once started. Its exit code lands in the record. */
  async execStart(
    id: string,
    io: { onOutput?: OutputListener; size?: { rows: number; cols: number } } = {},
  ): Promise<{ proc: GuestProcess; exited: Promise<number> }> {
    const e = this.execInspect(id);
    if (e.Running || e.ExitCode !== null) throw new ConflictError(`Error: Exec command ${id} has already run`);
    const c = this.find(e.ContainerID);
    if (!c.json.State.Running) throw new ConflictError(`Container ${c.json.Id} is not running`);
    const img = this.images.get(c.json.Image);
    const files = img ? await this.imageUserFiles(img) : { passwd: null, group: null };
    const user = withGroupAdd(resolveUser(e.config.User || c.json.Config.User, files.passwd, files.group), c.json.HostConfig.GroupAdd, files.group);
    const env = [...(c.json.Config.Env ?? [])];
    for (const x of e.config.Env ?? []) env.push(x);
    if (e.config.Tty && !env.some((x) => x.startsWith("TERM="))) env.push("TERM=xterm");
    const hold = new FailureLineHold((stream, d) => io.onOutput?.(stream, d));
    const out = (stream: StreamName) => (d: Uint8Array) => hold.write(stream, d);
    const process = execProcess(c.json, {
      argv: e.config.Cmd,
      env,
      cwd: e.config.WorkingDir || c.json.Config.WorkingDir || "/",
      user,
      tty: !!e.config.Tty,
      privileged: !!e.config.Privileged,
      size: io.size,
    });
    const proc = await this.runtime.exec(
      c.json.Id,
      { processJson: ociJson(process), tty: !!e.config.Tty, size: io.size },
      {
        onStdout: out("stdout"),
        onStderr: out("stderr"),
      },
    );
    e.Running = true;
    e.Pid = proc.pid;
    e.proc = proc;
    this.events.emit("container", `exec_start: ${e.config.Cmd[0]} ${e.config.Cmd.slice(1).join(" ")}`, c.json.Id, this.attrs(c, { execID: id }));
    const exited = proc.exited.then((st) => {
      e.Running = false;
      e.proc = undefined;
      e.ExitCode = st.code ?? 128 + (st.signal ?? 0);
      const failure = st.code === 255 ? hold.take() : undefined;
      hold.flush();
      if (failure !== undefined) {
        // dockerd writes the start error into the attached stream, and the exec's code is 126.
        const detail = execFailure(failure, e.config.Cmd[0] ?? "")?.detail ?? failure.trim();
        e.startError = `OCI runtime exec failed: exec failed: unable to start container process: ${detail}: unknown\r\n`;
        io.onOutput?.("stdout", new TextEncoder().encode(e.startError));
        e.ExitCode = 126;
      }
      this.events.emit("container", "exec_die", c.json.Id, this.attrs(c, { execID: id, exitCode: String(e.ExitCode) }));
      return e.ExitCode;
    });
    return { proc, exited };
  }

  // ---------------------------------------------------------------- system

  info(): { containers: number; running: number; paused: number; stopped: number; images: number } {
    const all = [...this.containers.values()].map((c) => c.json.State);
    return {
      containers: all.length,
      running: all.filter((s) => s.Running && !s.Paused).length,
      paused: all.filter((s) => s.Paused).length,
      stopped: all.filter((s) => !s.Running).length,
      images: this.images.list().length,
    };
  }

  /** Memory and pids limits shared by all containers (the VM is small). */
  get limits() {
    return PARENT_LIMITS;
  }

  imageRefName(ref: string): string {
    try {
      return referenceString(parseReference(ref));
    } catch {
      return ref;
    }
  }

  // ---------------------------------------------------------------- REST API support
  // What the Engine API (src/engine/api) needs beyond the calls the guest CLI makes: the
  // list and system shapes dockerd returns, log and event selection, exec resize. The guest
  // CLI still formats ps/images/info itself; these are the daemon-side equivalents.

  private guestFactsCache?: Promise<GuestFacts>;

  async listContainers(opts: { all?: boolean; limit?: number; size?: boolean; filters?: Filters }): Promise<ContainerSummary[]> {
    const f: Filters = opts.filters ?? new Map();
    checkFilters(f, PS_FILTERS);
    const exited: number[] = [];
    for (const v of f.get("exited") ?? []) {
      if (!/^[+-]?\d+$/.test(v)) throw new InvalidParameterError(`strconv.Atoi: parsing "${v}": invalid syntax`);
      exited.push(Number(v));
    }
    let all = !!opts.all;
    for (const v of f.get("status") ?? []) {
      if (!STATES.includes(v)) throw new InvalidParameterError(`Invalid filter 'status=${v}'`);
      all = true;
    }
    const byRef = (key: string) => {
      const v = f.get(key)?.at(-1);
      return v === undefined ? undefined : this.find(v).json.Id;
    };
    let before = byRef("before");
    const since = byRef("since");
    const ancestors = new Set<string>();
    for (const a of f.get("ancestor") ?? []) {
      const img = this.image(a);
      if (!img) continue;
      // The image and every image built on it.
      const walk = (id: string) => {
        if (ancestors.has(id)) return;
        ancestors.add(id);
        for (const k of this.images.children(id)) walk(k.id);
      };
      walk(img.id);
    }
    const limit = opts.limit ?? 0;
    const picked: ContainerJSON[] = [];
    for (const c of this.list()) {
      if (before !== undefined) {
        if (c.Id === before) before = undefined;
        continue;
      }
      if (since !== undefined && c.Id === since) break;
      const s = c.State;
      if (!s.Running && !all && limit <= 0) continue;
      if (!filterMatch(f, "name", c.Name) && !filterMatch(f, "name", c.Name.slice(1))) continue;
      if (!filterMatch(f, "id", c.Id)) continue;
      if (!labelsMatch(f, c.Config.Labels)) continue;
      if (limit > 0 && picked.length === limit) break;
      if (exited.length && !exited.some((code) => code === s.ExitCode && !s.Running && s.StartedAt !== ZERO_TIME)) continue;
      if (!filterMatch(f, "status", s.Status)) continue;
      if (f.has("ancestor") && !ancestors.has(c.Image)) continue;
      if (f.has("network") && !Object.keys(c.NetworkSettings.Networks).some((n) => filterMatch(f, "network", n))) continue;
      if (f.has("volume") || f.has("publish") || f.has("expose") || f.has("health")) continue; // none of these exist here yet
      picked.push(c);
    }
    const sizes = opts.size ? await this.containerSizes(picked.map((c) => c.Id)) : undefined;
    const nowMs = Date.now();
    return picked.map((c): ContainerSummary => {
      // The name the container was created with, unless it now names another image.
      let image = c.Config.Image;
      if (image !== c.Image && this.image(image)?.id !== c.Image) image = c.Image;
      const ports: PortSummary[] = [];
      for (const [key, binds] of Object.entries(c.NetworkSettings.Ports ?? {})) {
        const [port = "0", proto = "tcp"] = key.split("/");
        if (!binds?.length) ports.push({ PrivatePort: Number(port), Type: proto });
        else for (const b of binds) ports.push({ IP: b.HostIp || "0.0.0.0", PrivatePort: Number(port), PublicPort: Number(b.HostPort), Type: proto });
      }
      const size = sizes?.get(c.Id);
      return {
        Id: c.Id,
        Names: [c.Name],
        Image: image,
        ImageID: c.Image,
        Command: summaryCommand(c),
        Created: Math.floor(Date.parse(c.Created) / 1000),
        Ports: ports,
        ...(size ? { SizeRw: size.rw, SizeRootFs: size.rootfs } : {}),
        Labels: c.Config.Labels ?? {},
        State: c.State.Status,
        Status: containerStatus(c.State, nowMs),
        HostConfig: { NetworkMode: c.HostConfig.NetworkMode },
        NetworkSettings: { Networks: structuredClone(c.NetworkSettings.Networks) },
        Mounts: structuredClone(c.Mounts),
      };
    });
  }

  listImages(opts: { all?: boolean; filters?: Filters }): ImageSummary[] {
    const f: Filters = opts.filters ?? new Map();
    checkFilters(f, IMAGE_FILTERS);
    let dangling: boolean | undefined;
    for (const v of f.get("dangling") ?? []) {
      if (!["true", "false", "1", "0"].includes(v)) throw new InvalidParameterError(`Invalid filter 'dangling=${v}'`);
      dangling = v === "true" || v === "1";
    }
    const created = (r: ImageRecord) => Date.parse(r.config.created ?? "") || 0;
    const imageRef = (key: string) => {
      const v = f.get(key)?.at(-1);
      if (v === undefined) return undefined;
      const img = this.image(v);
      if (!img) throw noSuchImage(v);
      return created(img);
    };
    const beforeT = imageRef("before");
    const sinceT = imageRef("since");
    const out: ImageSummary[] = [];
    for (const r of this.images.list()) {
      const t = created(r);
      if (beforeT !== undefined && t >= beforeT) continue;
      if (sinceT !== undefined && t <= sinceT) continue;
      if (!labelsMatch(f, r.config.config?.Labels)) continue;
      const untagged = r.repoTags.length === 0;
      if (dangling !== undefined && dangling !== untagged) continue;
      let tags = r.repoTags.map((t) => familiarString(parseReference(t)));
      const refs = f.get("reference");
      if (refs?.length) {
        tags = r.repoTags.filter((t) => refs.some((p) => familiarMatch(p, parseReference(t)))).map((t) => familiarString(parseReference(t)));
        if (!tags.length) continue;
      }
      let digests = r.repoDigests.map((d) => familiarString(parseReference(d)));
      if (untagged && !digests.length) {
        // An intermediate image (a parent of others) is listed only with all=1.
        if (!opts.all && this.images.children(r.id).length) continue;
        tags = ["<none>:<none>"];
        digests = ["<none>@<none>"];
      }
      const size = r.layers.reduce((n, l) => n + l.size, 0);
      out.push({
        Containers: -1,
        Created: Math.floor(t / 1000),
        Id: r.id,
        Labels: r.config.config?.Labels ?? null,
        ParentId: r.parent,
        RepoDigests: digests,
        RepoTags: tags,
        SharedSize: -1,
        Size: size,
        VirtualSize: size,
      });
    }
    return out.sort((a, b) => b.Created - a.Created);
  }


  /** Kernel, CPUs, memory and hostname of the guest, read once. */
  guestFacts(): Promise<GuestFacts> {
    if (!this.guestFactsCache) {
      this.guestFactsCache = this.sandbox
        .exec(["sh", "-c", "uname -r; grep -c ^processor /proc/cpuinfo; awk '/MemTotal/{print $2}' /proc/meminfo; hostname; cat /sys/fs/cgroup/cgroup.controllers"])
        .then((r) => {
          const [kernel = "", cpus = "1", memKb = "0", hostname = "berth", controllers = ""] = r.stdout.trim().split("\n");
          return { kernel, cpus: Number(cpus) || 1, memKb: Number(memKb) || 0, hostname, controllers: controllers.split(" ").filter(Boolean) };
        });
      this.guestFactsCache.catch(() => (this.guestFactsCache = undefined));
    }
    return this.guestFactsCache;
  }

  private async sysInfo(): Promise<SysInfo> {
    const { controllers, cpus } = await this.guestFacts();
    return sysInfoOf(controllers, cpus);
  }

  /** GET /version */
  async version(): Promise<VersionResponse> {
    const { kernel } = await this.guestFacts();
    const details = {
      ApiVersion: ENGINE.api,
      Arch: "386",
      BuildTime: "",
      Experimental: "false",
      GitCommit: ENGINE.git,
      GoVersion: "TypeScript",
      KernelVersion: kernel,
      MinAPIVersion: ENGINE.minApi,
      Os: "linux",
    };
    return {
      Platform: { Name: "Berth (in-browser engine)" },
      Components: [
        { Name: "Engine", Version: ENGINE.version, Details: details },
        { Name: "crun", Version: ENGINE.crun, Details: { GitCommit: "" } },
      ],
      Version: ENGINE.version,
      ApiVersion: ENGINE.api,
      MinAPIVersion: ENGINE.minApi,
      GitCommit: ENGINE.git,
      GoVersion: "TypeScript",
      Os: "linux",
      Arch: "386",
      KernelVersion: kernel,
      BuildTime: "",
    };
  }

  /** GET /info */
  async systemInfo(): Promise<SystemInfo> {
    const i = this.info();
    const g = await this.guestFacts();
    const none = { ID: "", Expected: "" };
    return {
      ID: "BERT:HBER:THBE:RTHB:ERTH:BERT:HBER:THBE:RTHB:ERTH:BERT:HBER",
      Containers: i.containers,
      ContainersRunning: i.running,
      ContainersPaused: i.paused,
      ContainersStopped: i.stopped,
      Images: i.images,
      Driver: "overlay2",
      DriverStatus: [
        ["Backing Filesystem", "tmpfs"],
        ["Supports d_type", "true"],
        ["Native Overlay Diff", "true"],
        ["userxattr", "false"],
      ],
      Plugins: { Volume: ["local"], Network: ["bridge", "null"], Authorization: null, Log: ["json-file"] },
      MemoryLimit: true,
      SwapLimit: true,
      KernelMemory: false,
      KernelMemoryTCP: false,
      CpuCfsPeriod: true,
      CpuCfsQuota: true,
      CPUShares: true,
      CPUSet: false,
      PidsLimit: true,
      IPv4Forwarding: true,
      BridgeNfIptables: false,
      BridgeNfIp6tables: false,
      Debug: false,
      NFd: 0,
      OomKillDisable: false,
      NGoroutines: 0,
      SystemTime: new Date().toISOString(),
      LoggingDriver: "json-file",
      CgroupDriver: "cgroupfs",
      CgroupVersion: "2",
      NEventsListener: 0,
      KernelVersion: g.kernel,
      OperatingSystem: "Berth guest (Debian bookworm i386 packages)",
      OSVersion: "12",
      OSType: "linux",
      Architecture: "i686",
      IndexServerAddress: "https://index.docker.io/v1/",
      RegistryConfig: {
        AllowNondistributableArtifactsCIDRs: [],
        AllowNondistributableArtifactsHostnames: [],
        InsecureRegistryCIDRs: ["127.0.0.0/8"],
        IndexConfigs: { "docker.io": { Name: "docker.io", Mirrors: [], Secure: true, Official: true } },
        Mirrors: [],
      },
      NCPU: g.cpus,
      MemTotal: g.memKb * 1024,
      GenericResources: null,
      DockerRootDir: "/var/lib/berth",
      HttpProxy: "",
      HttpsProxy: "",
      NoProxy: "",
      Name: g.hostname,
      Labels: [],
      ExperimentalBuild: false,
      ServerVersion: ENGINE.version,
      Runtimes: { crun: { path: "crun" } },
      DefaultRuntime: "crun",
      Swarm: { NodeID: "", NodeAddr: "", LocalNodeState: "inactive", ControlAvailable: false, Error: "", RemoteManagers: null },
      LiveRestoreEnabled: false,
      Isolation: "",
      InitBinary: "docker-init",
      ContainerdCommit: none,
      RuncCommit: none,
      InitCommit: none,
      SecurityOptions: ["name=cgroupns"],
      Warnings: [],
    };
  }

  /** GET /exec/{id}/json: the record without the engine's own fields. */
  execInspectJSON(id: string): ExecInspect {
    const e = this.execInspect(id);
    return {
      ID: e.ID,
      Running: e.Running,
      ExitCode: e.ExitCode,
      ProcessConfig: { ...e.ProcessConfig, arguments: [...e.ProcessConfig.arguments] },
      OpenStdin: e.OpenStdin,
      OpenStderr: e.OpenStderr,
      OpenStdout: e.OpenStdout,
      CanRemove: e.CanRemove,
      ContainerID: e.ContainerID,
      DetachKeys: e.DetachKeys,
      Pid: e.Pid,
    };
  }

  execResize(id: string, rows: number, cols: number): void {
    const e = this.execInspect(id);
    if (!e.proc) throw new ConflictError(`Exec ${id} is not running`);
    e.proc.resize(rows, cols);
  }

  /** The log entries a logs request selects, and a way to follow new ones. */
  selectLogs(ref: string, sel: LogSelection): { id: string; tty: boolean; entries: LogEntry[]; running: boolean; follow: (cb: (e: LogEntry) => void) => () => void } {
    const c = this.inspect(ref);
    const buf = this.logs(c.Id);
    const since = sel.since ?? 0;
    const until = sel.until ?? Infinity;
    const want = (e: LogEntry) => (e.stream === "stdout" ? sel.stdout : sel.stderr);
    let entries = buf.entries.filter((e) => e.ms >= since && e.ms <= until && want(e));
    const tail = sel.tail ?? Infinity;
    if (Number.isFinite(tail) && tail >= 0) entries = tail === 0 ? [] : entries.slice(-tail);
    return {
      id: c.Id,
      tty: c.Config.Tty,
      entries,
      running: c.State.Running,
      follow: (cb) => buf.follow((e) => {
        if (e.ms <= until && want(e)) cb(e);
      }),
    };
  }

  /** GET /events filters as a predicate. */
  eventMatcher(f: Filters): (e: EngineEvent) => boolean {
    return eventFilter(f);
  }
}

// ---------------------------------------------------------------- REST API support (helpers)

export type { Filters };

const PS_FILTERS = ["ancestor", "before", "exited", "health", "id", "isolation", "is-task", "label", "name", "network", "publish", "since", "status", "volume", "expose"];
const STATES = ["created", "restarting", "running", "removing", "paused", "exited", "dead"];
const IMAGE_FILTERS = ["dangling", "label", "before", "since", "reference"];

export const ENGINE = { version: "20.10.24", api: "1.41", minApi: "1.12", git: "5d6db84", crun: "1.8.1" } as const;

/** dockerd's Command column: args with spaces in single quotes. */
export interface GuestFacts {
  kernel: string;
  cpus: number;
  memKb: number;
  hostname: string;
  /** The cgroup v2 controllers the kernel has. */
  controllers: string[];
}

export interface LogSelection {
  since?: number;
  until?: number;
  tail?: number;
  stdout: boolean;
  stderr: boolean;
}

// ps -ef's columns from /proc, for every process in the container's cgroup.
const TOP_SCRIPT = `hz=100; up=$(cut -d' ' -f1 /proc/uptime); boot=$(( $(date +%s) - \${up%.*} ))
printf 'UID\\tPID\\tPPID\\tC\\tSTIME\\tTTY\\tTIME\\tCMD\\n'
for p in $(cat "$1/cgroup.procs"); do
  [ -r /proc/$p/stat ] || continue
  set -- $(sed 's/^.*) //' /proc/$p/stat)
  ppid=$2; tty=$5; ut=$12; st=$13; start=$20
  uid=$(awk '/^Uid:/{print $2}' /proc/$p/status)
  user=$(awk -F: -v u=$uid '$3==u{print $1; exit}' /etc/passwd); [ -n "$user" ] || user=$uid
  [ "$uid" = 0 ] && user=root
  secs=$(( (ut + st) / hz )); t=$(printf '%02d:%02d:%02d' $((secs/3600)) $((secs%3600/60)) $((secs%60)))
  stime=$(date -d @$(( boot + start / hz )) +%H:%M 2>/dev/null || echo '?')
  if [ "$tty" = 0 ]; then tt='?'; else tt="pts/$((tty & 255))"; fi
  cmd=$(tr '\\0' ' ' < /proc/$p/cmdline | sed 's/ $//'); [ -n "$cmd" ] || cmd="[$(sed 's/.*(\\(.*\\)).*/\\1/' /proc/$p/stat)]"
  printf '%s\\t%s\\t%s\\t0\\t%s\\t%s\\t%s\\t%s\\n' "$user" "$p" "$ppid" "$stime" "$tt" "$t" "$cmd"
done`;

export const BRIDGE_NETWORK_ID = "b0e7a5c1f4d2e8a9b3c6d0f1e2a4b5c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3";

/** crun's error for a process it could not start, as dockerd words it, with the CLI's exit code. */
export function runtimeStartError(log: string, argv0: string): { message: string; exitCode: number } | undefined {
  const line = log
    .split("\n")
    // crun's text log lines may start with a timestamp and a level.
    .map((l) => l.replace(/^\S*\d{4}-\d\d-\d\dT\S*\s*/, "").replace(/^(error|warning|warn):?\s*/i, "").trim())
    .filter(Boolean)
    .pop();
  if (!line) return undefined;
  const known = execFailure(line, argv0);
  let detail: string;
  let exitCode = 125;
  if (known) ({ detail, exitCode } = known);
  else if (/Permission denied/.test(line)) {
    detail = line;
    exitCode = 126;
  } else if (/No such file or directory/.test(line)) {
    detail = line;
    exitCode = 127;
  } else {
    detail = line;
  }
  return { message: `failed to create shim task: OCI runtime create failed: crun create failed: unable to start container process: ${detail}: unknown`, exitCode };
}

/** dockerd's getUser: the user's own supplementary groups, then --group-add's. */
function withGroupAdd(user: ExecUser, groupAdd: readonly string[] | null, groupText: string | null): ExecUser {
  if (!groupAdd?.length) return user;
  return { ...user, additionalGids: [...new Set([...user.additionalGids, ...additionalGroups(groupAdd, groupText)])] };
}
