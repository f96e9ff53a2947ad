// Expected strings come from Go 1.24 as built into the Docker 28.2.2 CLI, run as
// `docker context ls --format '{{printf …}}'` (no daemon needed).
import { describe, expect, it } from "vitest";
import { formatFloat, formatValue, sprint, sprintf, sprintln } from "./go-fmt";
import { GoFloat } from "./go-value";

describe("formatFloat (strconv.FormatFloat)", () => {
  it("shortest %g switches to exponents below 1e-4 and from 1e6 (not 1e21 as in JS)", () => {
    const cases: Array<[number, string]> = [
      [1234567, "1.234567e+06"],
      [123456, "123456"],
      [1e6, "1e+06"],
      [0.0001, "0.0001"],
      [0.00001, "1e-05"],
      [0.000001, "1e-06"],
      [1e21, "1e+21"],
      [1.5e300, "1.5e+300"],
      [0.1, "0.1"],
      [123456789, "1.23456789e+08"],
      [-2.5, "-2.5"],
      [0, "0"],
    ];
    for (const [v, s] of cases) expect(formatFloat(v, "g", -1), String(v)).toBe(s);
  });

  it("rounds fixed precision half to even on exact decimal ties", () => {
    expect(formatFloat(0.5, "f", 0)).toBe("0");
    expect(formatFloat(2.5, "f", 0)).toBe("2");
    expect(formatFloat(3.5, "f", 0)).toBe("4");
    expect(formatFloat(0.25, "f", 1)).toBe("0.2");
    // 1.005 is 1.00499999999999989… in binary.
    expect(formatFloat(1.005, "f", 2)).toBe("1.00");
    expect(formatFloat(3.14159, "f", 2)).toBe("3.14");
    expect(formatFloat(9.999, "f", 2)).toBe("10.00");
  });

  it("formats %e and %g with precision", () => {
    expect(formatFloat(123456.789, "e", 6)).toBe("1.234568e+05");
    expect(formatFloat(0, "e", 6)).toBe("0.000000e+00");
    expect(formatFloat(12345.678, "e", 2)).toBe("1.23e+04");
    expect(formatFloat(1234.5678, "g", 3)).toBe("1.23e+03");
    expect(formatFloat(1.5, "g", 3)).toBe("1.5");
    expect(formatFloat(1e-10, "G", -1)).toBe("1E-10");
    expect(formatFloat(1e100, "e", -1)).toBe("1e+100");
  });

  it("formats hex floats, binary exponents and specials", () => {
    expect(formatFloat(3.5, "x", -1)).toBe("0x1.cp+01");
    expect(formatFloat(1, "x", -1)).toBe("0x1p+00");
    expect(formatFloat(-0.5, "X", -1)).toBe("-0X1P-01");
    expect(formatFloat(1, "b", -1)).toBe("4503599627370496p-52");
    expect(formatFloat(NaN, "g", -1)).toBe("NaN");
    expect(formatFloat(Infinity, "f", 2)).toBe("+Inf");
    expect(formatFloat(-Infinity, "g", -1)).toBe("-Inf");
  });
});

describe("sprint / sprintln (fmt.Sprint, fmt.Sprintln)", () => {
  it("puts spaces only between operands that are both non-strings", () => {
    expect(sprint([1.5, 2, "a", "b", 3])).toBe("1.5 2ab3");
    expect(sprint(["a", "b", 1, 2, "c"])).toBe("ab1 2c");
    expect(sprint([null, 1, null])).toBe("<nil> 1 <nil>");
  });

  it("always separates with spaces in Sprintln and ends the line", () => {
    expect(sprintln(["a", 1, "b"])).toBe("a 1 b\n");
    expect(sprintln([1, 2])).toBe("1 2\n");
    expect(sprintln([])).toBe("\n");
  });

  it("prints values the way %v does", () => {
    expect(formatValue(["a", "b"])).toBe("[a b]");
    expect(formatValue({ b: 2, a: 1 })).toBe("map[a:1 b:2]");
    expect(formatValue({ m: { y: [1, "x", null] }, e: {} })).toBe("map[e:map[] m:map[y:[1 x <nil>]]]");
    expect(formatValue([])).toBe("[]");
    expect(formatValue(true)).toBe("true");
    expect(formatValue(new GoFloat(1))).toBe("1");
    expect(formatValue(1e21)).toBe("1e+21");
    expect(formatValue(-0)).toBe("0");
    expect(formatValue(null)).toBe("<nil>");
    expect(formatValue({ a: undefined, b: 1 })).toBe("map[b:1]");
  });
});

describe("sprintf (fmt.Sprintf)", () => {
  const cases: Array<[string, unknown[], string]> = [
    ["%v %v %v", [1e21, new GoFloat(123456789), 123456789], "1e+21 1.23456789e+08 123456789"],
    ["%v|%s|%d", [["a", "b"], ["a", "b"], ["a", "b"]], "[a b]|[a b]|[%!d(string=a) %!d(string=b)]"],
    ["%d %s %t %x %q", ["s", 1, 1, "hi", 65], "%!d(string=s) %!s(int=1) %!t(int=1) 6869 'A'"],
    ["%d", [], "%!d(MISSING)"],
    ["%d", [1, 2], "1%!(EXTRA int=2)"],
    ["%", [], "%!(NOVERB)"],
    ["%!", [], "%!!(MISSING)"],
    ["%z", [1], "%!z(int=1)"],
    ["%5.1f|%-5s|%05d|%+d|%x|%X|%o|%e|%g", [new GoFloat(3.14159), "ab", 42, 5, 255, 255, 8, 123456.789, 0.00001], "  3.1|ab   |00042|+5|ff|FF|10|1.234568e+05|1e-05"],
    [
      "%6.2f|%-8v|%08.3f|%x|%+q|%#q|%5.1s|%c|%x|%X|% x|%#v|%#v|%#v",
      [3.14159, "ab", -3.14159, -255, "héllo", "hi", "abc", -1, "hi", "hi", "hi", "s", new GoFloat(1), ["a", "b"]],
      '  3.14|ab      |-003.142|-ff|"h\\u00e9llo"|`hi`|    a|\ufffd|6869|6869|68 69|"s"|1|[]string{"a", "b"}',
    ],
    [
      "%v %v %v %v %.0f %.0f %.1f %.2f %e %g %g %g",
      [0.000001, 1e-7, new GoFloat(123456), new GoFloat(1234567), 0.5, 2.5, 0.25, 1.005, new GoFloat(0), new GoFloat(100000), new GoFloat(1e20), 0.1],
      "1e-06 1e-07 123456 1.234567e+06 0 2 0.2 1.00 0.000000e+00 100000 1e+20 0.1",
    ],
    ["%5t|%-5t|%v|%d|%s|%v", [true, false, true, ["a"], 1.5, null], " true|false|true|[%!d(string=a)]|%!s(float64=1.5)|<nil>"],
    ["%3c|%-4q|%U|%#U|%o|%O|%b|%#o|%#b|%08b", [65, 66, 9731, 9731, 8, 8, 5, 8, 5, 5], "  A|'B' |U+2603|U+2603 '☃'|10|0o10|101|010|0b101|00000101"],
    ["%.3s|%.10s|%-10.3s|%q", ["héllo", "ab", "héllo", "é\x7f\u200b"], 'hél|ab|hél       |"é\\x7f\\u200b"'],
    ["%d|%5d|%-5d|%05d|%+05d|% d|%.0d|%5.0d|", [-7, -7, -7, -7, 7, 7, 0, 0], "-7|   -7|-7   |-0007|+0007| 7||     |"],
    ["%s %s", [], "%!s(MISSING) %!s(MISSING)"],
    ["%[1]s %[1]s %s", ["a", "b"], "a a b"],
    ["%[3]s", ["a"], "%!s(BADINDEX)"],
    ["%-*d|", [-5, 1], "1    |"],
    ["%*d|", [5, 1], "    1|"],
    ["%.*f", [2, 3.14159], "3.14"],
    ["%.*d|%.*s", ["x", 1, -1, "ab"], "%!(BADPREC)1|%!(BADPREC)ab"],
    ["%t|%v|%s", [true, null, null], "true|<nil>|%!s(<nil>)"],
    ["%x", [3.5], "0x1.cp+01"],
    ["%05s|%-05s|", ["ab", "ab"], "000ab|ab   |"],
    ["%T %T %T %T %T %T", [1, 1.5, "s", true, ["a"], { a: 1 }], "int float64 string bool []string map[string]int"],
    ["%v", [{ a: null, b: "x" }], "map[a:<nil> b:x]"],
    ["%d", [{ a: 1 }], "map[%!d(string=a):1]"],
    ["100%%", [], "100%"],
    ["%8.3v|%-8.2e|", [3.14159, 31415.9], "    3.14|3.14e+04|"],
    ["%s", [null], "%!s(<nil>)"],
    ["%v %v", [NaN, -Infinity], "NaN -Inf"],
    ["%+v|% v|%06.1f", [NaN, Infinity, -Infinity], "NaN| Inf|  -Inf"],
  ];
  for (const [format, args, want] of cases) {
    it(`${format} ${JSON.stringify(args)}`, () => {
      expect(sprintf(format, args)).toBe(want);
    });
  }

  it("pads infinities and NaN with spaces even with the 0 flag", () => {
    expect(sprintf("%06.1f|%+f|% f|%f", [Infinity, NaN, NaN, -Infinity])).toBe("  +Inf|+NaN| NaN|-Inf");
  });
});
