// docker events (cli/command/system/events.go): past events from the daemon's bounded
// history for --since/--until, then live ones until --until or Ctrl-C.
import type { EngineEvent } from "../../api-types";
import { eventFilter } from "../../events/event-filter";
import { getTimestamp, parseTimestamps } from "../../format/duration";
import { goJSON } from "../../format/go-json";
import { goStruct, parseTemplate, type GoTemplate } from "../../format/go-template";
import type { ParsedFlags } from "../flags";
import { CliError, type Cli } from "../context";
import { parseFilters } from "../../util/filter-args";

/** The value a template sees: Go's events.Message, with its JSON kept for {{json .}}. */
function messageStruct(e: EngineEvent) {
  return goStruct("*events.Message", {
    Status: e.status ?? "",
    ID: e.id ?? "",
    From: e.from ?? "",
    Type: e.Type,
    Action: e.Action,
    Actor: goStruct("events.Actor", { ID: e.Actor.ID, Attributes: e.Actor.Attributes }),
    Scope: e.scope,
    Time: e.time,
    TimeNano: e.timeNano,
  });
}

const EMPTY: EngineEvent = { Type: "" as EngineEvent["Type"], Action: "", Actor: { ID: "", Attributes: {} }, scope: "" as EngineEvent["scope"], time: 0, timeNano: 0 };

/** rfc3339NanoFixed in UTC: "2006-01-02T15:04:05.000000000Z". */
export function eventTime(e: EngineEvent): string {
  const ns = e.timeNano ? BigInt(e.timeNano) : BigInt(e.time) * 1_000_000_000n;
  const iso = new Date(Number(ns / 1_000_000_000n) * 1000).toISOString();
  return `${iso.slice(0, 19)}.${String(ns % 1_000_000_000n).padStart(9, "0")}Z`;
}

/** prettyPrintEvent: time, type, action, actor, then the attributes sorted. */
export function prettyEvent(e: EngineEvent): string {
  const attrs = Object.keys(e.Actor.Attributes)
    .sort()
    .map((k) => `${k}=${e.Actor.Attributes[k]}`);
  return `${eventTime(e)} ${e.Type} ${e.Action} ${e.Actor.ID}${attrs.length ? ` (${attrs.join(", ")})` : ""}\n`;
}

/** The --format template, checked against an empty message as the CLI does (exit 64). */
export function eventTemplate(format: string): ((e: EngineEvent) => string) | undefined {
  if (!format) return undefined;
  let tmpl: GoTemplate;
  const sources = new WeakMap<object, EngineEvent>();
  const json = {
    params: ["any" as const],
    fn: (v: unknown) => {
      const src = typeof v === "object" && v !== null ? sources.get(v) : undefined;
      return goJSON(src ?? v, { escapeHTML: false });
    },
  };
  const run = (e: EngineEvent) => {
    const m = messageStruct(e);
    sources.set(m, e);
    return tmpl.execute(m, { funcs: { json } }) + "\n";
  };
  try {
    tmpl = parseTemplate(format);
    run(EMPTY);
  } catch (e) {
    throw new CliError(`Error parsing format: ${(e as Error).message}`, 64);
  }
  return run;
}

export async function events(cli: Cli, flags: ParsedFlags): Promise<number> {
  const render = eventTemplate(flags.string("format")) ?? prettyEvent;
  const now = Date.now();
  const stamp = (name: string) => {
    const v = flags.string(name);
    if (!v) return undefined;
    try {
      const text = getTimestamp(v, now);
      const { seconds, nanoseconds } = parseTimestamps(text, 0);
      return { text, ns: seconds * 1e9 + nanoseconds };
    } catch (e) {
      throw new CliError((e as Error).message, 1);
    }
  };
  const since = stamp("since");
  const until = stamp("until");
  if (since && until && until.ns < since.ns) {
    throw new CliError(`Error response from daemon: \`since\` time (${since.text}) cannot be after \`until\` time (${until.text})`, 1);
  }
  const match = eventFilter(parseFilters(flags.strings("filter")));
  let live: ((e: EngineEvent) => void) | undefined;
  const sub = cli.daemon.events.subscribe((e) => live?.(e));
  try {
    // The daemon replays its buffer only when asked for a time window (loadBufferedEvents).
    if (since || until) {
      for (const e of sub.past) {
        if (since && e.timeNano < since.ns) continue;
        if (until && e.timeNano > until.ns) continue;
        if (match(e)) cli.out(render(e));
      }
    }
    const untilMs = until ? until.ns / 1e6 : Infinity;
    if (untilMs <= Date.now()) return 0;
    return await new Promise<number>((resolve) => {
      live = (e) => {
        if (match(e)) cli.out(render(e));
      };
      if (Number.isFinite(untilMs)) setTimeout(() => resolve(0), untilMs - Date.now());
      cli.cmd.onSignal((signo) => resolve(128 + signo));
      cli.cmd.onGone(() => resolve(0));
    });
  } finally {
    sub.close();
  }
}
