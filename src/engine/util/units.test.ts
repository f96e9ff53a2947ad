import { describe, expect, it } from "vitest";
import { errorMessage as err } from "../testing/error-message";
import { ramInBytes } from "./units";


describe("units", () => {
  it("ramInBytes (go-units, as `docker run -m` reports)", () => {
    const accepted: Array<[string, number]> = [
      ["1e3", 1000],
      ["1_000", 1000],
      ["1 k", 1024],
      ["1 kib", 1024],
      ["1.5g", 1.5 * 1024 ** 3],
      ["1kb", 1024],
      ["1KB", 1024],
      ["1b", 1],
      ["1m", 1024 ** 2],
      ["5", 5],
      ["1 ", 1],
      ["-0", 0],
      ["+1", 1],
      ["0x1p4", 16],
    ];
    for (const [input, bytes] of accepted) expect(ramInBytes(input)).toBe(bytes);
    const rejected: Array<[string, string]> = [
      ["inf", "invalid size: 'inf'"],
      ["nan", "invalid size: 'nan'"],
      ["", "invalid size: ''"],
      ["1e400", 'strconv.ParseFloat: parsing "1e400": value out of range'],
      ["0x10", 'strconv.ParseFloat: parsing "0x10": invalid syntax'],
      ["1.2.3", 'strconv.ParseFloat: parsing "1.2.3": invalid syntax'],
      [" ", 'strconv.ParseFloat: parsing "": invalid syntax'],
      ["1kibb", "invalid suffix: 'kibb'"],
      ["1bb", "invalid suffix: 'bb'"],
      ["1e", "invalid suffix: 'e'"],
      [".", 'strconv.ParseFloat: parsing ".": invalid syntax'],
      ["1  k", 'strconv.ParseFloat: parsing "1 ": invalid syntax'],
      ["1k1", 'strconv.ParseFloat: parsing "1k1": invalid syntax'],
      ["x1", 'strconv.ParseFloat: parsing "x1": invalid syntax'],
    ];
    for (const [input, message] of rejected) expect(err(() => ramInBytes(input)), input).toBe(message);
  });

});
