import { describe, expect, it } from "vitest";
import { parseProgress, ProgressError, ProgressStore, type KeyValue } from "./progress";

function memory(): KeyValue & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v) };
}

describe("ProgressStore", () => {
  it("records steps and quiz answers and survives a reload", () => {
    const kv = memory();
    const p = new ProgressStore(kv, "berth.progress");
    let changes = 0;
    p.onChange(() => changes++);
    expect(p.status("l01-hello", ["a", "b"])).toBe("new");
    p.passSteps("l01-hello", ["a"], ["a", "b"]);
    expect(p.status("l01-hello", ["a", "b"])).toBe("started");
    p.passSteps("l01-hello", ["a"], ["a", "b"]); // no change, no write
    p.passSteps("l01-hello", ["b"], ["a", "b"]);
    p.answer("l01-hello", 0, 2, false);
    expect(changes).toBe(3);
    const again = new ProgressStore(kv, "berth.progress");
    expect(again.status("l01-hello", ["a", "b"])).toBe("done");
    expect(again.lesson("l01-hello").quiz).toEqual({ "0": { choice: 2, correct: false } });
    expect(again.lesson("l01-hello").completedAt).toMatch(/^\d{4}-/);
    again.forget("l01-hello");
    expect(again.status("l01-hello", ["a", "b"])).toBe("new");
  });

  it("exports and imports a file", () => {
    const a = new ProgressStore(memory(), "k");
    a.passSteps("l02-images", ["pull"], ["pull", "tag"]);
    const b = new ProgressStore(memory(), "k");
    b.import(a.export());
    expect(b.lesson("l02-images").steps).toEqual({ pull: true });
  });

  it("ignores a damaged stored entry", () => {
    const kv = memory();
    kv.setItem("k", "{not json");
    expect(new ProgressStore(kv, "k").status("x", ["a"])).toBe("new");
  });

  it("keeps its progress when an import is refused", () => {
    const p = new ProgressStore(memory(), "k");
    p.passSteps("l01-hello", ["a"], ["a"]);
    expect(() => p.import("[]")).toThrow(ProgressError);
    expect(p.status("l01-hello", ["a"])).toBe("done");
  });
});

describe("parseProgress", () => {
  const file = (lessons: unknown) => JSON.stringify({ format: "berth-progress", version: 1, lessons });
  it.each([
    ["not json", "Not", /not JSON/],
    ["another file", '{"a":1}', /Not a Berth progress file/],
    ["a newer version", '{"format":"berth-progress","version":2,"lessons":{}}', /version 2/],
    ["a bad lesson id", file({ "../x": { steps: {}, quiz: {} } }), /lessons\.\.\.\/x: a lesson id is kebab-case/],
    ["a bad step value", file({ l01: { steps: { a: "yes" }, quiz: {} } }), /lessons\.l01\.steps\.a: expected true/],
    ["a bad answer", file({ l01: { steps: {}, quiz: { "0": { choice: -1, correct: true } } } }), /lessons\.l01\.quiz\.0/],
    ["an unknown field", file({ l01: { steps: {}, quiz: {}, html: "<script>" } }), /lessons\.l01\.html: unknown field/],
    ["a bad date", file({ l01: { steps: {}, quiz: {}, completedAt: "soon" } }), /completedAt: expected a date/],
  ])("refuses %s", (_, text, message) => {
    expect(() => parseProgress(text)).toThrow(message);
  });

  it("treats __proto__ as data", () => {
    const p = parseProgress('{"format":"berth-progress","version":1,"lessons":{"__proto__":{"steps":{},"quiz":{}}}}'.replace("__proto__", "l01"));
    expect(Object.getPrototypeOf(p.lessons)).toBe(Object.prototype);
    expect(() => parseProgress('{"format":"berth-progress","version":1,"lessons":{"__proto__":{"steps":{},"quiz":{}}}}')).toThrow(/kebab-case/);
  });
});
