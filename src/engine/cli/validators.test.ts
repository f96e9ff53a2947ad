import { describe, expect, it } from "vitest";
import { errorMessage as err } from "../testing/error-message";
import { validators } from "./validators";


describe("validators", () => {
  it("validators.decimal (--cpus)", () => {
    for (const ok of ["1.5", "1/2", "1e-3", "-1", "0x10", "1e3", "1_0", ".5", "5."]) {
      expect(() => validators.decimal(ok), ok).not.toThrow();
    }
    expect(err(() => validators.decimal("abc"))).toBe("failed to parse abc as a rational number");
    expect(err(() => validators.decimal(""))).toBe("failed to parse  as a rational number");
    expect(err(() => validators.decimal("inf"))).toBe("failed to parse inf as a rational number");
    expect(err(() => validators.decimal("2/0"))).toBe("failed to parse 2/0 as a rational number");
    expect(err(() => validators.decimal("0.0000000001"))).toBe("value is too precise");
  });

  it("validators.bytes reports a bad suffix as Docker 20.10 does", () => {
    expect(() => validators.bytes("1.5g")).not.toThrow();
    expect(err(() => validators.bytes("1x"))).toBe("invalid size: '1x'");
    expect(err(() => validators.bytes("1 x"))).toBe("invalid size: '1 x'");
    expect(err(() => validators.bytes("x1x"))).toBe("invalid size: 'x1x'");
    expect(err(() => validators.memSwapBytes("1bb"))).toBe("invalid size: '1bb'");
    for (const bad of [".5", "1.", "1e3", "0x10", ""]) expect(err(() => validators.bytes(bad)), bad).toBe(`invalid size: '${bad}'`);
    for (const good of ["1i", "1 ", "1KiB", "1 k", "1kb"]) expect(() => validators.bytes(good), good).not.toThrow();
    expect(err(() => validators.bytes("1.5.5"))).toBe('strconv.ParseFloat: parsing "1.5.5": invalid syntax');
    expect(() => validators.memSwapBytes("-1")).not.toThrow();
  });
});
