import { describe, expect, it } from "vitest";
import { goJSON, goJSONString, GoJSONError } from "./go-json";
import { GoFloat } from "./go-value";

describe("goJSON (encoding/json)", () => {
  it("encodes compactly, objects in insertion order (Docker's structs)", () => {
    expect(goJSON({ Name: "web", Ports: [80, 443], Labels: {}, Env: [], State: { Running: true, Health: null } })).toBe(
      '{"Name":"web","Ports":[80,443],"Labels":{},"Env":[],"State":{"Running":true,"Health":null}}',
    );
  });

  it("escapes like Go: \\b \\f as short escapes, other controls as \\u00xx, U+2028/9 always", () => {
    // Docker's {{json "<>&\u2028\b\x01"}} prints exactly this (escapeHTML off).
    expect(goJSON("<>&\u2028\b\x01", { escapeHTML: false })).toBe('"<>&\\u2028\\b\\u0001"');
    expect(goJSON('a"b\\c\n\r\t\f\x1b\x7f')).toBe('"a\\"b\\\\c\\n\\r\\t\\f\\u001b\x7f"');
    expect(goJSON("\u2029é😀")).toBe('"\\u2029é😀"');
  });

  it("escapes <, > and & unless told not to (json.Marshal vs Docker's json func)", () => {
    expect(goJSON("<IN MEMORY> & co")).toBe('"\\u003cIN MEMORY\\u003e \\u0026 co"');
    expect(goJSON("<IN MEMORY> & co", { escapeHTML: false })).toBe('"<IN MEMORY> & co"');
  });

  it("turns lone surrogates into U+FFFD (invalid UTF-8 in Go)", () => {
    expect(goJSONString("a\ud800b\udc00", false)).toBe('"a\ufffdb\ufffd"');
  });

  it("formats numbers as Go does", () => {
    expect(goJSON(1234567)).toBe("1234567");
    expect(goJSON(-0)).toBe("0");
    expect(goJSON(0.1)).toBe("0.1");
    expect(goJSON(1e21)).toBe("1e+21");
    expect(goJSON(1.5e-7)).toBe("1.5e-7");
    expect(goJSON(new GoFloat(1e20))).toBe("100000000000000000000");
    expect(goJSON(new GoFloat(2))).toBe("2");
    expect(goJSON(123456789.5)).toBe("123456789.5");
    expect(goJSON(2 ** 62)).toBe("4611686018427387904");
  });

  it("rejects NaN, infinities and functions with Go's messages", () => {
    expect(() => goJSON(NaN)).toThrow(new GoJSONError("json: unsupported value: NaN"));
    expect(() => goJSON([Infinity])).toThrow("json: unsupported value: +Inf");
    expect(() => goJSON(-Infinity)).toThrow("json: unsupported value: -Inf");
    expect(() => goJSON(() => 1)).toThrow("json: unsupported type: func()");
  });

  it("leaves out undefined properties and function properties (Go methods are not fields)", () => {
    expect(goJSON({ a: undefined, b: 1, Label: (k: unknown) => k })).toBe('{"b":1}');
    expect(goJSON([undefined, null])).toBe("[null,null]");
    expect(goJSON(undefined)).toBe("null");
  });

  it("indents like json.MarshalIndent (docker inspect)", () => {
    const v = [{ Name: "default", Metadata: {}, Endpoints: { docker: { Host: "unix:///var/run/docker.sock", SkipTLSVerify: false } }, Tags: [] }];
    expect(goJSON(v, { indent: "    " })).toBe(`[
    {
        "Name": "default",
        "Metadata": {},
        "Endpoints": {
            "docker": {
                "Host": "unix:///var/run/docker.sock",
                "SkipTLSVerify": false
            }
        },
        "Tags": []
    }
]`);
    expect(goJSON({ a: [1, 2] }, { indent: "\t", prefix: "> " })).toBe('{\n> \t"a": [\n> \t\t1,\n> \t\t2\n> \t]\n> }');
  });
});
