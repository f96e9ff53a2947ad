import { describe, expect, it } from "vitest";
import { DEFAULT_DETACH_KEYS, parseDetachKeys } from "./detach-keys";

describe("parseDetachKeys", () => {
  it("reads Docker's notation", () => {
    expect(parseDetachKeys("ctrl-p,ctrl-q")).toEqual(DEFAULT_DETACH_KEYS);
    expect([...parseDetachKeys("Ctrl-A,x,ctrl-@,ctrl-\\,ctrl-_")]).toEqual([1, 0x78, 0, 28, 31]);
  });
  it("rejects what docker rejects", () => {
    expect(() => parseDetachKeys("ctrl-1")).toThrow("Unknown character: 'ctrl-1'");
    expect(() => parseDetachKeys("ab")).toThrow(/Unknown character/);
    expect(() => parseDetachKeys("")).toThrow(/Unknown character/);
  });
});
