// docker stats (cli/command/container/stats.go): live usage redrawn every 500 ms with the
// terminal cleared, or one frame with --no-stream. The daemon samples every container's
// cgroup in one guest process once a second, as dockerd's collector does.
import type { EngineEvent } from "../../api-types";
import { invalidEntry, statsEntry, withPrevious, type StatsEntry, type StatsJSON } from "../../containers/stats";
import { EngineError } from "../../errors";
import { goStruct, renderDockerFormat } from "../../format/go-template";
import { bytesSize, humanSize } from "../../format/units";
import type { ParsedFlags } from "../flags";
import { CliError, type Cli } from "../context";

export const STATS_TABLE = "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}";

const STATS_HEADER = {
  Container: "CONTAINER",
  Name: "NAME",
  ID: "CONTAINER ID",
  CPUPerc: "CPU %",
  MemUsage: "MEM USAGE / LIMIT",
  MemPerc: "MEM %",
  NetIO: "NET I/O",
  BlockIO: "BLOCK I/O",
  PIDs: "PIDS",
};

/** The fields a --format template sees (docker/cli's statsContext). */
export function statsRow(s: StatsEntry, trunc: boolean) {
  const two = (n: number) => `${n.toFixed(2)}%`;
  const pair = (a: number, b: number) => `${humanSize(a, 3)} / ${humanSize(b, 3)}`;
  return goStruct("*container.statsContext", {
    Container: s.container,
    Name: s.name.length > 1 ? s.name.slice(1) : "--",
    ID: trunc ? s.id.slice(0, 12) : s.id,
    CPUPerc: s.isInvalid ? "--" : two(s.cpuPercentage),
    MemUsage: s.isInvalid ? "-- / --" : `${bytesSize(s.memory)} / ${bytesSize(s.memoryLimit)}`,
    MemPerc: s.isInvalid ? "--" : two(s.memoryPercentage),
    NetIO: s.isInvalid ? "--" : pair(s.networkRx, s.networkTx),
    BlockIO: s.isInvalid ? "--" : pair(s.blockRead, s.blockWrite),
    PIDs: s.isInvalid ? "--" : String(s.pidsCurrent),
  });
}

export function renderStats(format: string, entries: readonly StatsEntry[], trunc: boolean): string {
  try {
    return renderDockerFormat(format || "table", entries.map((e) => statsRow(e, trunc)), { header: STATS_HEADER, defaultTable: STATS_TABLE });
  } catch (e) {
    throw new CliError((e as Error).message, 1);
  }
}

/** A container being watched: the name it was asked by (or its short ID) and its last frame. */
interface Watched {
  container: string;
  id: string;
  last?: StatsJSON;
  entry?: StatsEntry;
}

export async function stats(cli: Cli, flags: ParsedFlags, args: readonly string[]): Promise<number> {
  const d = cli.daemon;
  const noStream = flags.bool("no-stream");
  const all = flags.bool("all");
  const trunc = !flags.bool("no-trunc");
  const format = flags.string("format");
  const showAll = args.length === 0;
  const watched: Watched[] = [];
  const add = (container: string, id: string) => {
    if (!watched.some((w) => w.container === container)) watched.push({ container, id });
  };
  if (showAll) {
    for (const c of d.list()) if (all || c.State.Running) add(c.Id.slice(0, 12), c.Id);
  } else {
    const errors: string[] = [];
    for (const a of args) {
      try {
        add(a, d.inspect(a).Id);
      } catch (e) {
        if (!(e instanceof EngineError)) throw e;
        errors.push(`Error response from daemon: ${e.message}`);
      }
    }
    if (errors.length) throw new CliError(errors.join("\n"), 1);
  }

  const sample = async () => {
    const live = watched.filter((w) => d.exists(w.id));
    const frames = await d.stats(live.map((w) => w.id));
    live.forEach((w, i) => {
      const cur = frames[i]!;
      // A stream only carries frames of running containers; one that stopped shows "--".
      w.entry = !noStream && cur.read.startsWith("0001") ? invalidEntry(w.container, cur.name, cur.id) : statsEntry(w.container, withPrevious(cur, w.last));
      w.last = cur;
    });
    for (const w of watched) if (!live.includes(w)) w.entry = invalidEntry(w.container);
  };

  if (noStream) {
    // dockerd primes the CPU figures with one sample and answers with the next.
    await sample();
    if (watched.some((w) => w.last && !w.last.read.startsWith("0001"))) {
      await new Promise((r) => setTimeout(r, 1000));
      await sample();
    }
    cli.out(renderStats(format, watched.map((w) => w.entry!), trunc));
    return 0;
  }

  let stopped = false;
  const stop = new Promise<void>((resolve) => {
    const end = () => {
      stopped = true;
      resolve();
    };
    cli.cmd.onSignal(end);
    cli.cmd.onGone(end);
  });
  let sub: { close: () => void } | undefined;
  if (showAll) {
    sub = d.events.subscribe((e: EngineEvent) => {
      if (e.Type !== "container") return;
      if (e.Action === "start" || (e.Action === "create" && all)) add(e.Actor.ID.slice(0, 12), e.Actor.ID);
      else if (e.Action === "die" && !all) {
        const i = watched.findIndex((w) => w.id === e.Actor.ID);
        if (i >= 0) watched.splice(i, 1);
      }
    });
  }
  // The first frame is drawn once every container has one (the CLI's waitFirst).
  await sample();
  const sampler = (async () => {
    for (let t = Date.now(); !stopped; t = Date.now()) {
      await Promise.race([stop, new Promise((r) => setTimeout(r, Math.max(0, 1000 - (Date.now() - t))))]);
      if (!stopped) await sample().catch(() => {});
    }
  })();
  try {
    while (!stopped) {
      cli.out("\x1b[2J\x1b[H" + renderStats(format, watched.filter((w) => w.entry).map((w) => w.entry!), trunc));
      await Promise.race([stop, new Promise((r) => setTimeout(r, 500))]);
    }
  } finally {
    stopped = true;
    sub?.close();
    await sampler;
  }
  return 0;
}
