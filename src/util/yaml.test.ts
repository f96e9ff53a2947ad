import { describe, expect, it } from "vitest";
import { parseYaml, parseYamlDocuments, YamlError } from "./yaml";

function err(text: string): YamlError {
  try {
    parseYaml(text);
  } catch (e) {
    if (e instanceof YamlError) return e;
    throw e;
  }
  throw new Error(`expected a YamlError for ${JSON.stringify(text)}`);
}

describe("block collections", () => {
  it("reads nested mappings and sequences", () => {
    expect(
      parseYaml(`title: Hello
steps:
  - id: one
    checks:
      - container: { name: web, state: running }
    solution:
      - docker run -d --name web nginx
  - id: two
    checks: []
`),
    ).toEqual({
      title: "Hello",
      steps: [
        { id: "one", checks: [{ container: { name: "web", state: "running" } }], solution: ["docker run -d --name web nginx"] },
        { id: "two", checks: [] },
      ],
    });
  });

  it("accepts a sequence at its key's indentation", () => {
    expect(parseYaml("a:\n- 1\n- 2\nb: x\n")).toEqual({ a: [1, 2], b: "x" });
  });

  it("reads compact nested sequences and empty values", () => {
    expect(parseYaml("- - a\n  - b\n- \n-\n  k: v\n")).toEqual([["a", "b"], null, { k: "v" }]);
    expect(parseYaml("a:\nb: ~\n")).toEqual({ a: null, b: null });
  });

  it("keeps comments out and allows them anywhere a line ends", () => {
    expect(parseYaml("# top\na: 1 # one\n\n  # indented comment\nb: 'x # not a comment'\nc: x#y\n")).toEqual({
      a: 1,
      b: "x # not a comment",
      c: "x#y",
    });
  });

  it("treats __proto__ as an ordinary key", () => {
    const v = parseYaml("__proto__: { polluted: true }\n") as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("scalars", () => {
  it("resolves the core schema", () => {
    expect(
      parseYaml(
        "n: null\nt: ~\nb1: true\nb2: False\ni: -12\no: 0o17\nh: 0x1F\nf: 1.5e3\nd: .5\ninf: -.inf\ns: yes\nv: 1.2.3\nq: '12'\n",
      ),
    ).toEqual({ n: null, t: null, b1: true, b2: false, i: -12, o: 15, h: 31, f: 1500, d: 0.5, inf: -Infinity, s: "yes", v: "1.2.3", q: "12" });
    expect(Number.isNaN(parseYaml(".nan"))).toBe(true);
  });

  it("folds multi-line plain scalars", () => {
    expect(parseYaml("a: one\n  two\n\n  three\nb: x")).toEqual({ a: "one two\nthree", b: "x" });
    expect(parseYaml("- one\n  - two")).toEqual(["one - two"]);
  });

  it("reads plain scalars that hold colons, dashes and hashes", () => {
    expect(parseYaml("url: http://x:80/a#b\ncmd: docker run -it --rm busybox\nneg: -v\n")).toEqual({
      url: "http://x:80/a#b",
      cmd: "docker run -it --rm busybox",
      neg: "-v",
    });
  });

  it("decodes double-quoted escapes", () => {
    expect(parseYaml(String.raw`"tab\there \"q\" \\ \x41\u00e9\U0001F600 \/ \e \0 \N"`)).toBe('tab\there "q" \\ Aé😀 / \x1b \0 \u0085');
  });

  it("folds quoted scalars across lines", () => {
    expect(parseYaml('"one\n  two  \n\n  three"')).toBe("one two\nthree");
    expect(parseYaml('"no \\\n  space"')).toBe("no space");
    expect(parseYaml("'it''s\n  here'")).toBe("it's here");
  });

  it("reads literal block scalars with chomping", () => {
    expect(parseYaml("a: |\n  line 1\n    indented\n\n  line 3\n\nb: 1")).toEqual({ a: "line 1\n  indented\n\nline 3\n", b: 1 });
    expect(parseYaml("a: |-\n  x\n\n")).toEqual({ a: "x" });
    expect(parseYaml("a: |+\n  x\n\n\nb: 2")).toEqual({ a: "x\n\n\n", b: 2 });
    expect(parseYaml("a: |\nb: 2")).toEqual({ a: "", b: 2 });
    expect(parseYaml("a: |2\n    x\n   y\n")).toEqual({ a: "  x\n y\n" });
  });

  it("reads folded block scalars", () => {
    expect(parseYaml("a: >\n  one\n  two\n\n  three\n    more\n  four\n")).toEqual({ a: "one two\nthree\n  more\nfour\n" });
    expect(parseYaml("- >-\n  a\n  b\n- c")).toEqual(["a b", "c"]);
  });

  it("keeps # inside block scalars", () => {
    expect(parseYaml("script: |\n  # comment for sh\n  echo hi # too\n")).toEqual({ script: "# comment for sh\necho hi # too\n" });
  });
});

describe("flow collections", () => {
  it("reads nested flow collections over lines", () => {
    expect(parseYaml("a: [1, 'two', \"three\", [x, y], {k: v}]\nb: {x: 1,\n  y: [a,\n  b], z}\n")).toEqual({
      a: [1, "two", "three", ["x", "y"], { k: "v" }],
      b: { x: 1, y: ["a", "b"], z: null },
    });
  });

  it("accepts JSON", () => {
    expect(parseYaml('{"a":[1,2.5,true,null,"s"],"b":{}}')).toEqual({ a: [1, 2.5, true, null, "s"], b: {} });
  });

  it("allows trailing commas and single pairs in sequences", () => {
    expect(parseYaml("[a, b,]")).toEqual(["a", "b"]);
    expect(parseYaml("[a: 1, b]")).toEqual([{ a: 1 }, "b"]);
  });
});

describe("documents", () => {
  it("splits a stream", () => {
    expect(parseYamlDocuments("---\na: 1\n---\n- b\n...\n--- text\n")).toEqual([{ a: 1 }, ["b"], "text"]);
    expect(parseYamlDocuments("")).toEqual([]);
    expect(parseYaml("# only a comment\n")).toBeNull();
  });

  it("refuses a second document where one is expected", () => {
    const e = err("a: 1\n---\nb: 2\n");
    expect(e.reason).toMatch(/one document/);
    expect([e.line, e.column]).toEqual([2, 1]);
  });

  it("handles BOM and CRLF", () => {
    expect(parseYaml("\uFEFFa: 1\r\nb: |\r\n  x\r\n")).toEqual({ a: 1, b: "x\n" });
  });
});

describe("errors", () => {
  const cases: Array<[string, RegExp, number, number]> = [
    ["a: 1\na: 2\n", /duplicate key "a"/, 2, 1],
    ["a: b: c\n", /mapping values are not allowed/, 1, 5],
    ["a: 1\n  b: 2\n", /bad indentation/, 2, 4],
    ["a:\n  b: 1\n    c: 2\n", /bad indentation/, 3, 6],
    ["a:\n\tb: 1\n", /tabs/, 2, 1],
    ["a: &x 1\n", /anchors/, 1, 4],
    ["a: *x\n", /aliases/, 1, 4],
    ["a: !!str 1\n", /tags/, 1, 4],
    ["%YAML 1.2\n---\na: 1\n", /directives/, 1, 1],
    ["? a\n: b\n", /complex keys/, 1, 1],
    ['a: "open\n', /unterminated/, 1, 4],
    ["a: [1, 2\n", /unclosed '\['/, 1, 4],
    ["a: {b: 1 c: 2}\n", /expected ',' or '\}'/, 1, 11],
    ["a: - b\n", /block sequence cannot start/, 1, 4],
    ["- a\nb: 1\n", /expected '- '/, 2, 1],
    ["a: 1\n- b\n", /found a sequence entry/, 2, 1],
    ['a: "\\q"\n', /unknown escape/, 1, 5],
    ["a: '1' x\n", /unexpected 'x'/, 1, 8],
    ["a: @x\n", /cannot start with '@'/, 1, 4],
    ["key\nother: 1\n", /bad indentation of a mapping entry/, 2, 6],
    ["a: |\n    x\n  y\n", /bad indentation/, 3, 3],
    ["{[a]: b}", /collections as keys/, 1, 2],
  ];
  it.each(cases)("%j", (text, reason, line, column) => {
    const e = err(text);
    expect(e.reason).toMatch(reason);
    expect({ line: e.line, column: e.column }).toEqual({ line, column });
    expect(e.message).toBe(`line ${line}, column ${column}: ${e.reason}`);
  });
});
