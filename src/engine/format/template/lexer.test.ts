import { describe, expect, it } from "vitest";
import { itemString, Lexer, type Item } from "./lexer";

function lex(input: string): Item[] {
  const l = new Lexer(input, { breakOK: true, continueOK: true });
  const items: Item[] = [];
  for (;;) {
    const item = l.nextItem();
    items.push(item);
    if (item.type === "eof" || item.type === "error") return items;
  }
}

const brief = (items: Item[]): string[] => items.map((i) => `${i.type}:${i.val}`);

describe("template lexer (text/template/parse/lex.go)", () => {
  it("splits text and actions into tokens", () => {
    expect(brief(lex('a {{.Name | printf "%s" $x}} b'))).toEqual([
      "text:a ",
      "leftDelim:{{",
      "field:.Name",
      "space: ",
      "pipe:|",
      "space: ",
      "identifier:printf",
      "space: ",
      'string:"%s"',
      "space: ",
      "variable:$x",
      "rightDelim:}}",
      "text: b",
      "eof:",
    ]);
  });

  it("knows keywords, literals, declarations and parens", () => {
    expect(brief(lex("{{range $i, $v := .}}{{else}}{{end}}")).filter((t) => !t.startsWith("space"))).toEqual([
      "leftDelim:{{",
      "range:range",
      "variable:$i",
      "char:,",
      "variable:$v",
      "declare::=",
      "dot:.",
      "rightDelim:}}",
      "leftDelim:{{",
      "else:else",
      "rightDelim:}}",
      "leftDelim:{{",
      "end:end",
      "rightDelim:}}",
      "eof:",
    ]);
    expect(brief(lex("{{(1.5e3) true nil 'x' `r` $ $x = 0x1F}}")).filter((t) => !t.startsWith("space"))).toEqual([
      "leftDelim:{{",
      "leftParen:(",
      "number:1.5e3",
      "rightParen:)",
      "bool:true",
      "nil:nil",
      "charConstant:'x'",
      "rawString:`r`",
      "variable:$",
      "variable:$x",
      "assign:=",
      "number:0x1F",
      "rightDelim:}}",
      "eof:",
    ]);
  });

  it("splits field chains into separate tokens", () => {
    expect(brief(lex("{{.A.B $x.C}}"))).toEqual(["leftDelim:{{", "field:.A", "field:.B", "space: ", "variable:$x", "field:.C", "rightDelim:}}", "eof:"]);
  });

  it("trims spaces around {{- and -}} in the lexer", () => {
    expect(brief(lex("a \n {{- 1 -}} \n b"))).toEqual(["text:a", "leftDelim:{{", "number:1", "rightDelim:}}", "text:b", "eof:"]);
    // "{{-3}}" is the number -3, not a trim marker.
    expect(brief(lex("x {{-3}}"))).toEqual(["text:x ", "leftDelim:{{", "number:-3", "rightDelim:}}", "eof:"]);
  });

  it("drops comments, honouring trim markers", () => {
    expect(brief(lex("a {{- /* c */ -}} b"))).toEqual(["text:a", "text:b", "eof:"]);
  });

  it("tracks line numbers across text, actions and raw strings", () => {
    const items = lex("a\nb{{`x\ny`}}\n{{.Z}}");
    expect(items.map((i) => `${i.type}@${i.line}`)).toEqual([
      "text@1",
      "leftDelim@2",
      "rawString@2",
      "rightDelim@3",
      "text@3",
      "leftDelim@4",
      "field@4",
      "rightDelim@4",
      "eof@4",
    ]);
  });

  it("reports errors as Go does", () => {
    const last = (s: string): string => lex(s).at(-1)?.val ?? "";
    expect(last("{{.A")).toBe("unclosed action");
    expect(last("{{(.A}}")).toBe("unclosed left paren");
    expect(last("{{.A)}}")).toBe("unexpected right paren");
    expect(last("{{:x}}")).toBe("expected :=");
    expect(last("{{.A§}}")).toBe("bad character U+00A7 '§'");
    expect(last("{{\u0007}}")).toBe("unrecognized character in action: U+0007");
    expect(last("{{ 08x }}")).toBe('bad number syntax: "08x"');
    expect(last("{{/* x")).toBe("unclosed comment");
  });

  it("treats break and continue as identifiers when functions claim them", () => {
    const l = new Lexer("{{break}}", { breakOK: false, continueOK: true });
    l.nextItem();
    expect(l.nextItem().type).toBe("identifier");
  });

  it("formats items for parse errors like item.String()", () => {
    expect(itemString({ type: "eof", pos: 0, val: "", line: 1 })).toBe("EOF");
    expect(itemString({ type: "end", pos: 0, val: "end", line: 1 })).toBe("<end>");
    expect(itemString({ type: "string", pos: 0, val: '"a"', line: 1 })).toBe('"\\"a\\""');
    expect(itemString({ type: "text", pos: 0, val: "0123456789abc", line: 1 })).toBe('"0123456789"...');
  });
});
