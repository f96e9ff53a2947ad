import { describe, expect, it } from "vitest";
import type { EngineEvent } from "../api-types";
import { eventTemplate, prettyEvent } from "../cli/commands/events";
import { EventBus } from "./event-bus";
import { eventFilter } from "./event-filter";

const bus = new EventBus();
const die = bus.emit("container", "die", "c0ffee".padEnd(64, "0"), { image: "busybox", name: "web", exitCode: "3", team: "a" });
const exec = bus.emit("container", "exec_start: sh -c true", "c0ffee".padEnd(64, "0"), { image: "busybox:1.35", name: "web" });
const tag = bus.emit("image", "tag", "sha256:" + "1".repeat(64), { name: "bb:x" });
const net = bus.emit("network", "connect", "b".repeat(64), { container: "c0ffee".padEnd(64, "0"), name: "bridge", type: "bridge" });
const all = [die, exec, tag, net];
const pick = (f: Record<string, string[]>) => all.filter(eventFilter(new Map(Object.entries(f)))).map((e) => e.Action);

describe("events filters as dockerd's", () => {
  it("matches container by ID prefix or name, image with or without tag, labels, type", () => {
    expect(pick({ container: ["c0f"] })).toEqual(["die", "exec_start: sh -c true"]);
    expect(pick({ container: ["web"] })).toEqual(["die", "exec_start: sh -c true"]);
    expect(pick({ image: ["busybox"] })).toEqual(["die", "exec_start: sh -c true"]);
    expect(pick({ image: ["bb"] })).toEqual(["tag"]);
    expect(pick({ label: ["team=a"] })).toEqual(["die"]);
    expect(pick({ type: ["network"] })).toEqual(["connect"]);
    expect(pick({ event: ["exec_start"] })).toEqual(["exec_start: sh -c true"]);
    expect(pick({ event: ["die", "tag"] })).toEqual(["die", "tag"]);
    // dockerd does not validate event filter keys.
    expect(pick({ bogus: ["x"] })).toHaveLength(4);
  });
});

describe("event output", () => {
  it("keeps dockerd's JSON field order, sorted attributes and increasing times", () => {
    expect(Object.keys(die)).toEqual(["status", "id", "from", "Type", "Action", "Actor", "scope", "time", "timeNano"]);
    expect(Object.keys(die.Actor.Attributes)).toEqual(["exitCode", "image", "name", "team"]);
    expect(Object.keys(net)).toEqual(["Type", "Action", "Actor", "scope", "time", "timeNano"]);
    expect(exec.timeNano).toBeGreaterThan(die.timeNano);
  });

  it("prints as prettyPrintEvent and through templates", () => {
    const e: EngineEvent = { ...die, time: 1700000000, timeNano: 1700000000123456789 };
    expect(prettyEvent(e)).toMatch(/^2023-11-14T22:13:20\.1234567\d\dZ container die c0ffee0+ \(exitCode=3, image=busybox, name=web, team=a\)\n$/);
    const render = eventTemplate("{{.Status}} {{.ID}} {{.From}} {{.Actor.Attributes.name}} {{.Scope}}")!;
    expect(render(die)).toBe(`die ${die.id} busybox web local\n`);
    expect(JSON.parse(eventTemplate("{{json .}}")!(tag))).toEqual(tag);
    expect(() => eventTemplate("{{.Nope}}")).toThrow(/^Error parsing format: template: :1:2: executing "" at <.Nope>: can't evaluate field Nope in type \*events.Message$/);
  });
});
