import { describe, expect, it, vi } from "vitest";
import { getRandomName, LEFT, RIGHT } from "./names";

describe("namesgenerator", () => {
  it("has moby v20.10's lists", () => {
    expect(LEFT.length).toBe(108);
    expect(RIGHT.length).toBe(236);
    expect(LEFT[0]).toBe("admiring");
    expect(LEFT.at(-1)).toBe("zen");
    expect(RIGHT[0]).toBe("albattani");
    expect(RIGHT.at(-1)).toBe("zhukovsky");
    expect(LEFT).toContain("boring");
    expect(RIGHT).toContain("wozniak");
  });

  // TestNameFormat
  it("makes adjective_surname without digits when retry is 0", () => {
    for (let i = 0; i < 200; i++) {
      const name = getRandomName(0);
      expect(name).toMatch(/^[a-z]+_[a-z]+$/);
      const [l, r] = name.split("_");
      expect(LEFT).toContain(l);
      expect(RIGHT).toContain(r);
    }
  });

  // TestNameRetries
  it("appends one digit when retry > 0", () => {
    for (let i = 0; i < 100; i++) expect(getRandomName(1)).toMatch(/^[a-z]+_[a-z]+[0-9]$/);
  });

  it("never returns boring_wozniak", () => {
    const boring = LEFT.indexOf("boring");
    const wozniak = RIGHT.indexOf("wozniak");
    // Feed indexes that make boring_wozniak first, then admiring_albattani.
    const seq = [boring, wozniak, 0, 0];
    const spy = vi.spyOn(crypto, "getRandomValues").mockImplementation(<T extends ArrayBufferView | null>(a: T): T => {
      (a as unknown as Uint32Array)[0] = seq.shift() ?? 0;
      return a;
    });
    try {
      expect(getRandomName(0)).toBe("admiring_albattani");
    } finally {
      spy.mockRestore();
    }
  });
});
