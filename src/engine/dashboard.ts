// What the page's Docker panel sees of the engine: containers, images and recent events in
// plain cloneable records, pushed whenever the engine emits an event, plus the panel's
// actions. It reads and acts only through the Daemon, as the CLI and the REST API do, so
// the panel can never show a state `docker ps` would not. Transport-free: the worker hands
// it to the page over Comlink (worker-engine.ts), tests call it directly.
import type { ContainerState, EngineEvent, PortSummary } from "./api-types";
import type { Daemon } from "./daemon";

export interface DashboardContainer {
  id: string;
  /** Without the leading "/". */
  name: string;
  /** As `docker ps` shows it (the name it was created with, or the image ID). */
  image: string;
  command: string;
  /** Unix seconds. */
  created: number;
  /** The fields `docker ps` builds its STATUS column from (see containerStatus). */
  state: Pick<ContainerState, "Status" | "Running" | "Paused" | "Restarting" | "Dead" | "ExitCode" | "StartedAt" | "FinishedAt">;
  /** `docker ps`'s PORTS column ("80/tcp", "0.0.0.0:8080->80/tcp"). */
  ports: string;
}

/** One row per tag, as `docker images` lists them. */
export interface DashboardImage {
  id: string;
  /** A familiar name ("busybox:latest"); null for a dangling image. */
  tag: string | null;
  /** Unix seconds. */
  created: number;
  size: number;
  /** How many containers (running or not) use it. */
  containers: number;
}

export interface DashboardEvent {
  /** Unique and increasing (the event's timeNano). */
  key: number;
  /** Unix milliseconds. */
  time: number;
  type: EngineEvent["Type"];
  action: string;
  id: string;
  /** What the event is about, for people: a container's name, an image's reference. */
  subject: string;
  /** Extra detail worth a glance (the image of a container, an exit code, a signal). */
  detail: string;
}

export interface DashboardState {
  containers: DashboardContainer[];
  images: DashboardImage[];
  /** Newest first. */
  events: DashboardEvent[];
}

/** How many events the panel keeps (the engine itself keeps dockerd's 256). */
export const DASHBOARD_EVENTS = 50;

/** Coalesce a burst of events (create, attach, start, …) into one update. */
const COALESCE_MS = 30;

/** Ports in `docker ps` notation, one entry per port (docker/cli also merges consecutive ports into ranges). */
export function portsText(ports: readonly PortSummary[]): string {
  const text = ports.map((p) => (p.PublicPort ? `${p.IP ?? "0.0.0.0"}:${p.PublicPort}->${p.PrivatePort}/${p.Type}` : `${p.PrivatePort}/${p.Type}`));
  return [...new Set(text)].sort().join(", ");
}

export function dashboardEvent(e: EngineEvent): DashboardEvent {
  const a = e.Actor.Attributes;
  const detail: string[] = [];
  if (e.Type === "container" && a.image) detail.push(a.image);
  if (a.exitCode !== undefined) detail.push(`exit code ${a.exitCode}`);
  if (a.signal !== undefined) detail.push(`signal ${a.signal}`);
  return {
    key: e.timeNano,
    time: Math.floor(e.timeNano / 1e6),
    type: e.Type,
    action: e.Action,
    id: e.Actor.ID,
    subject: a.name ?? e.Actor.ID,
    detail: detail.join(", "),
  };
}

export class Dashboard {
  private listeners = new Set<(s: DashboardState) => void>();
  private events: DashboardEvent[];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly daemon: Daemon) {
    const sub = daemon.events.subscribe((e) => {
      this.events.unshift(dashboardEvent(e));
      this.events.length = Math.min(this.events.length, DASHBOARD_EVENTS);
      this.schedule();
    });
    this.events = sub.past.slice(-DASHBOARD_EVENTS).reverse().map(dashboardEvent);
  }

  private schedule(): void {
    if (this.timer || !this.listeners.size) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.state().then((s) => {
        for (const l of this.listeners) l(s);
      });
    }, COALESCE_MS);
  }

  async state(): Promise<DashboardState> {
    const summaries = await this.daemon.listContainers({ all: true });
    // Read in the same task as the list, so a container removed meanwhile is simply absent.
    const records = new Map(this.daemon.list().map((c) => [c.Id, c]));
    const uses = new Map<string, number>();
    const containers: DashboardContainer[] = [];
    for (const c of summaries) {
      const s = records.get(c.Id)?.State;
      if (!s) continue;
      uses.set(c.ImageID, (uses.get(c.ImageID) ?? 0) + 1);
      containers.push({
        id: c.Id,
        name: c.Names[0]?.replace(/^\//, "") ?? "",
        image: c.Image,
        command: c.Command,
        created: c.Created,
        state: {
          Status: s.Status,
          Running: s.Running,
          Paused: s.Paused,
          Restarting: s.Restarting,
          Dead: s.Dead,
          ExitCode: s.ExitCode,
          StartedAt: s.StartedAt,
          FinishedAt: s.FinishedAt,
        },
        ports: portsText(c.Ports),
      });
    }
    const images = this.daemon.listImages({}).flatMap((i) =>
      i.RepoTags.map(
        (t): DashboardImage => ({
          id: i.Id,
          tag: t === "<none>:<none>" ? null : t,
          created: i.Created,
          size: i.Size,
          containers: uses.get(i.Id) ?? 0,
        }),
      ),
    );
    return { containers, images, events: [...this.events] };
  }

  /** Calls back with the whole state after every burst of engine events. */
  subscribe(cb: (s: DashboardState) => void): () => void {
    this.listeners.add(cb);
    return () => void this.listeners.delete(cb);
  }

  /** Names in the playground's offline set ("busybox:latest", …). */
  available(): Promise<string[]> {
    return this.daemon.registry.names();
  }

  start(id: string): Promise<void> {
    return this.daemon.start(id);
  }

  /** As `docker stop`: the stop signal, then SIGKILL after the container's timeout. */
  stop(id: string): Promise<void> {
    return this.daemon.stop(id);
  }

  /** As `docker rm -f`. */
  remove(id: string): Promise<void> {
    return this.daemon.remove(id, { force: true });
  }

  /** As `docker rmi` of a tag (or of the ID of a dangling image); not forced, so an image a container uses stays, with Docker's message. */
  async removeImage(ref: string): Promise<void> {
    await this.daemon.removeImage(ref);
  }

  async pull(ref: string): Promise<void> {
    await this.daemon.pull(ref, () => {});
  }
}
