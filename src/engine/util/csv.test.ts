import { describe, expect, it } from "vitest";
import { readCsvRecord } from "./csv";

describe("csv", () => {
  it("readCsvRecord (pflag stringSlice)", () => {
    expect(readCsvRecord("")).toEqual([]);
    expect(readCsvRecord("a,,b")).toEqual(["a", "", "b"]);
    expect(readCsvRecord('"a""b",c')).toEqual(['a"b', "c"]);
    expect(readCsvRecord('"a,b"')).toEqual(["a,b"]);
    expect(readCsvRecord(" a , b")).toEqual([" a ", " b"]);
  });
});
