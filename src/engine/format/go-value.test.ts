import { describe, expect, it } from "vitest";
import { compareGoStrings, elemTypeName, GoFloat, goKind, goTypeName, mapEntries, sortedMapEntries, utf8Length } from "./go-value";

describe("JS values as Go values", () => {
  it("classifies kinds", () => {
    expect([null, undefined, true, 1, -0, 1.5, 2 ** 63, new GoFloat(1), 10n, "s", () => 1, [], {}].map(goKind)).toEqual([
      "nil",
      "nil",
      "bool",
      "int",
      "int",
      "float",
      "float",
      "float",
      "int",
      "string",
      "func",
      "slice",
      "map",
    ]);
  });

  it("names types as reflect does, inferring element types", () => {
    expect(goTypeName(["a", "b"])).toBe("[]string");
    expect(goTypeName([1, 2])).toBe("[]int");
    expect(goTypeName([1, 1.5])).toBe("[]interface {}");
    expect(goTypeName([])).toBe("[]string");
    expect(goTypeName({ a: "x" })).toBe("map[string]string");
    expect(goTypeName({ a: "x", b: 1 })).toBe("map[string]interface {}");
    expect(goTypeName({ a: "x", m: () => 1 })).toBe("map[string]string");
    expect(goTypeName({ a: null })).toBe("map[string]interface {}");
    expect(goTypeName(new GoFloat(2))).toBe("float64");
    expect(goTypeName(null)).toBe("<nil>");
    expect(elemTypeName([true, false])).toBe("bool");
  });

  it("lists map entries without undefined values or methods, sorted by code point", () => {
    const m = { b: 1, a: undefined, "é": 2, Z: 3, f: () => 0 };
    expect(mapEntries(m).map(([k]) => k)).toEqual(["b", "é", "Z"]);
    expect(sortedMapEntries(m).map(([k]) => k)).toEqual(["Z", "b", "é"]);
    // U+FF5E sorts before U+1F600 in code points, after it in UTF-16 units.
    expect(compareGoStrings("\uff5e", "😀")).toBe(-1);
    expect(compareGoStrings("a", "ab")).toBe(-1);
    expect(compareGoStrings("b", "b")).toBe(0);
  });

  it("counts UTF-8 bytes", () => {
    expect(utf8Length("aé日😀")).toBe(1 + 2 + 3 + 4);
  });
});
