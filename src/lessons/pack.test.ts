import { describe, expect, it } from "vitest";
import { fetchPack, packErrorMessage, packFromSource, parsePack } from "./pack";
import { ContentError } from "./schema";

const LESSON = `---
title: T
goal: G.
minutes: 3
steps:
  - id: s
    title: S
    checks: [{ ran: { command: docker ps } }]
    solution: [docker ps]
quiz:
  - { q: A, choices: [x, y], answer: 0, explain: E }
  - { q: B, choices: [x, y], answer: 1, explain: E }
  - { q: C, choices: [x, y], answer: 0, explain: E }
---
![d](d.svg)
`;

const files = { "course.yaml": "- { id: p1, title: P, lessons: [l1] }\n", "p1/l1/lesson.md": LESSON };
const URL_ = "https://teacher.example/packs/week1/pack.json";

describe("packs", () => {
  it("round-trips a content folder and resolves images beside pack.json", () => {
    const pack = packFromSource("Week 1", { files: new Map(Object.entries(files)), assets: ["p1/l1/d.svg"] });
    const loaded = parsePack(JSON.stringify(pack), URL_);
    expect(loaded.title).toBe("Week 1");
    expect(loaded.course.parts[0]!.lessons[0]!.assetBase).toBe("https://teacher.example/packs/week1/p1/l1/");
  });

  it.each([
    ["not JSON", "<html>", /not JSON/],
    ["another JSON file", "{}", /not a Berth pack/],
    ["a newer version", '{"format":"berth-pack","version":9}', /version 9/],
    ["an escaping path", JSON.stringify({ format: "berth-pack", version: 1, title: "x", files: { "../x": "" }, assets: [] }), /not a relative path/],
    ["a non-image asset", JSON.stringify({ format: "berth-pack", version: 1, title: "x", files, assets: ["p1/l1/x.js"] }), /not an image path/],
  ])("refuses %s", (_, text, message) => {
    expect(() => parsePack(text, URL_)).toThrow(message);
  });

  it("names the pack file and field of a bad lesson", () => {
    const text = JSON.stringify({ format: "berth-pack", version: 1, title: "x", files: { ...files, "p1/l1/lesson.md": LESSON.replace("minutes: 3", "minutes: lots") }, assets: ["p1/l1/d.svg"] });
    let err: unknown;
    try {
      parsePack(text, URL_);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ContentError);
    expect(packErrorMessage(err)).toBe("its lessons are invalid:\nhttps://teacher.example/packs/week1/pack.json/p1/l1/lesson.md: minutes: expected a whole number, found a string");
  });

  it("reports fetch failures clearly", async () => {
    const notFound = (() => Promise.resolve(new Response("nope", { status: 404, statusText: "Not Found" }))) as typeof fetch;
    await expect(fetchPack("/packs/x.json", "http://127.0.0.1:4178/", notFound)).rejects.toThrow("the server answered 404 Not Found");
    await expect(fetchPack("javascript:alert(1)", "http://127.0.0.1/", notFound)).rejects.toThrow(/only http\(s\)/);
    const down = (() => Promise.reject(new TypeError("Failed to fetch"))) as typeof fetch;
    await expect(fetchPack("https://x.example/p.json", "http://127.0.0.1/", down)).rejects.toThrow(/could not be fetched \(Failed to fetch\)/);
  });
});
