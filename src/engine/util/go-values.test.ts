import { describe, expect, it } from "vitest";
import { errorMessage as err } from "../testing/error-message";
import { goQuote, goQuoteRune, goUnquote, goUnquoteChar, parseGoBool, parseGoFloat, parseGoInt, parseGoUint } from "./go-values";


describe("Go value parsers", () => {
  it("parseGoBool", () => {
    for (const t of ["1", "t", "T", "TRUE", "true", "True"]) expect(parseGoBool(t)).toBe(true);
    for (const f of ["0", "f", "F", "FALSE", "false", "False"]) expect(parseGoBool(f)).toBe(false);
    expect(err(() => parseGoBool("yes"))).toBe('strconv.ParseBool: parsing "yes": invalid syntax');
  });

  it("parseGoInt / parseGoUint", () => {
    expect(parseGoInt("0b101")).toBe(5);
    expect(parseGoInt("0o17")).toBe(15);
    expect(parseGoInt("017")).toBe(15);
    expect(parseGoInt("-0x1F")).toBe(-31);
    expect(parseGoInt("+7")).toBe(7);
    expect(parseGoInt("-9223372036854775808")).toBe(-9223372036854775808);
    expect(err(() => parseGoInt("9223372036854775808"))).toBe('strconv.ParseInt: parsing "9223372036854775808": value out of range');
    expect(err(() => parseGoInt("08"))).toBe('strconv.ParseInt: parsing "08": invalid syntax');
    expect(err(() => parseGoInt("1__0"))).toBe('strconv.ParseInt: parsing "1__0": invalid syntax');
    expect(err(() => parseGoInt("_1"))).toBe('strconv.ParseInt: parsing "_1": invalid syntax');
    expect(err(() => parseGoInt("2147483648", 32))).toBe('strconv.ParseInt: parsing "2147483648": value out of range');
    expect(parseGoUint("65535", 16)).toBe(65535);
    expect(err(() => parseGoUint("-1", 16))).toBe('strconv.ParseUint: parsing "-1": invalid syntax');
    expect(err(() => parseGoUint("65536", 16))).toBe('strconv.ParseUint: parsing "65536": value out of range');
  });

  it("parseGoFloat", () => {
    expect(parseGoFloat("1.5")).toBe(1.5);
    expect(parseGoFloat("1_000")).toBe(1000);
    expect(parseGoFloat("0x1p4")).toBe(16);
    expect(parseGoFloat("-Inf")).toBe(-Infinity);
    expect(err(() => parseGoFloat("0x10"))).toBe('strconv.ParseFloat: parsing "0x10": invalid syntax');
    expect(err(() => parseGoFloat("1e400"))).toBe('strconv.ParseFloat: parsing "1e400": value out of range');
    expect(err(() => parseGoFloat("."))).toBe('strconv.ParseFloat: parsing ".": invalid syntax');
  });

  it("goQuote matches Go %q for common strings", () => {
    expect(goQuote('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(goQuote("tab\there\n")).toBe('"tab\\there\\n"');
    expect(goQuote("\x01")).toBe('"\\x01"');
    expect(goQuote("héllo")).toBe('"héllo"');
  });
});

describe("Go literal quoting and unquoting", () => {
  it("goQuote escapes what strconv.Quote escapes", () => {
    expect(goQuote("é\x7f\u200b\u00a0😀\u0085")).toBe('"é\\x7f\\u200b\\u00a0😀\\u0085"');
    expect(goQuote("\x07\x08\x0c\x0b")).toBe('"\\a\\b\\f\\v"');
  });

  it("goQuoteRune quotes one character", () => {
    expect(goQuoteRune("z")).toBe("'z'");
    expect(goQuoteRune("'")).toBe("'\\''");
    expect(goQuoteRune('"')).toBe("'\"'");
    expect(goQuoteRune("\n")).toBe("'\\n'");
  });

  it("goUnquote reads double-quoted, raw and single-quoted literals", () => {
    expect(goUnquote('"a\\tb\\n\\"\\\\"')).toBe('a\tb\n"\\');
    expect(goUnquote('"\\x41\\101\\u00e9\\U0001F600"')).toBe("AAé😀");
    expect(goUnquote("`raw\\n\r\nx`")).toBe("raw\\n\nx");
    expect(goUnquote("'a'")).toBe("a");
    expect(goUnquote('"\\xff"')).toBe("\ufffd");
    for (const bad of ['"\\q"', '"a', '"\\400"', '"\\ud800"', '"a\nb"', "'ab'", "x", '"\\\'"', "`a`b`"]) {
      expect(() => goUnquote(bad), bad).toThrow("invalid syntax");
    }
  });

  it("goUnquoteChar reads one character and returns the rest", () => {
    expect(goUnquoteChar("\\n'", "'")).toEqual({ value: 10, multibyte: false, tail: "'" });
    expect(goUnquoteChar("é'", "'")).toEqual({ value: 0xe9, multibyte: true, tail: "'" });
    expect(goUnquoteChar("\\u00e9x", "'")).toEqual({ value: 0xe9, multibyte: true, tail: "x" });
    expect(() => goUnquoteChar("'", "'")).toThrow("invalid syntax");
  });
});
