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
});
