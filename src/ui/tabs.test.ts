import { describe, expect, it } from "vitest";
import { tabForKey } from "./tabs";

describe("tabForKey", () => {
  const tabs = ["a", "b", "c"];
  it("moves with the arrows and wraps", () => {
    expect(tabForKey("ArrowRight", tabs, "a")).toBe("b");
    expect(tabForKey("ArrowRight", tabs, "c")).toBe("a");
    expect(tabForKey("ArrowLeft", tabs, "a")).toBe("c");
  });
  it("jumps with Home and End, and ignores other keys", () => {
    expect(tabForKey("Home", tabs, "c")).toBe("a");
    expect(tabForKey("End", tabs, "a")).toBe("c");
    expect(tabForKey("Enter", tabs, "a")).toBeUndefined();
  });
});
