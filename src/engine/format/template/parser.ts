// The parser of Go's text/template (Go 1.24, text/template/parse/parse.go),
// ported function for function so that the trees and the error texts
// ("template: :1: function "foo" not defined") match Go's.
import { goQuote, goUnquote, goUnquoteChar, parseGoFloat, parseGoInt, parseGoUint } from "../../util/go-values";
import type {
  ArgNode,
  BranchNode,
  ChainNode,
  CommandNode,
  FieldNode,
  ListNode,
  Node,
  NumberNode,
  PipeNode,
  TemplateNode,
  VariableNode,
} from "./ast";
import { nodeString } from "./ast";
import { itemString, Lexer, type Item, type ItemType } from "./lexer";

/** A parse failure; the message is Go's, e.g. `template: :1: unexpected EOF`. */
export class TemplateParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TemplateParseError";
  }
}

/** One parsed template: the top-level one or a {{define}}d one. */
export interface Tree {
  readonly name: string;
  /** Name of the top-level template, for error locations. */
  readonly parseName: string;
  /** The whole text that was parsed (positions index into it). */
  readonly text: string;
  readonly root: ListNode;
}

// {{end}} and {{else}} only exist while parsing.
interface EndNode {
  readonly type: "end";
  readonly pos: number;
}
interface ElseNode {
  readonly type: "else";
  readonly pos: number;
}
type ParsedNode = Node | EndNode | ElseNode;

const MAX_STACK_DEPTH = 10000;

function parsedString(n: ParsedNode): string {
  if (n.type === "end") return "{{end}}";
  if (n.type === "else") return "{{else}}";
  return nodeString(n);
}

// Go's newNumber: the literal parsed as every type that can hold it.
function newNumber(pos: number, text: string, type: ItemType): NumberNode {
  const n: { -readonly [K in keyof NumberNode]: NumberNode[K] } = {
    type: "number",
    pos,
    text,
    isInt: false,
    isUint: false,
    isFloat: false,
    isComplex: false,
    int: 0,
    uint: 0,
    float: 0,
  };
  if (type === "charConstant") {
    const { value, tail } = goUnquoteChar(text.slice(1), text[0] ?? "'");
    if (tail !== "'") throw new Error(`malformed character constant: ${text}`);
    return { ...n, isInt: true, isUint: true, isFloat: true, int: value, uint: value, float: value };
  }
  if (type === "complex" || text.endsWith("i")) {
    // Complex numbers have no use in Docker formats; they are refused.
    throw new Error(`complex number ${text} is not supported`);
  }
  const attempt = <T>(f: () => T): T | undefined => {
    try {
      return f();
    } catch {
      return undefined;
    }
  };
  const u = attempt(() => parseGoUint(text, 64));
  if (u !== undefined) {
    n.isUint = true;
    n.uint = u;
  }
  const i = attempt(() => parseGoInt(text, 64));
  if (i !== undefined) {
    n.isInt = true;
    n.int = Number.isSafeInteger(i) ? i : exactInt(text);
    if (i === 0) {
      n.isUint = true; // in case of -0
      n.uint = u ?? 0;
    }
  }
  if (n.isInt) {
    n.isFloat = true;
    n.float = Number(n.int);
  } else if (n.isUint) {
    n.isFloat = true;
    n.float = n.uint;
  } else {
    const f = attempt(() => parseGoFloat(text));
    if (f !== undefined) {
      // Parsed as a float but looks like an integer: too big for an int.
      if (!/[.eEpP]/.test(text)) throw new Error(`integer overflow: ${goQuote(text)}`);
      n.isFloat = true;
      n.float = f;
      if (Number.isInteger(f) && Math.abs(f) < 2 ** 63) {
        n.isInt = true;
        n.int = f;
      }
      if (Number.isInteger(f) && f >= 0 && f < 2 ** 64) {
        n.isUint = true;
        n.uint = f;
      }
    }
  }
  if (!n.isInt && !n.isUint && !n.isFloat) throw new Error(`illegal number syntax: ${goQuote(text)}`);
  return n;
}

// The exact value of an integer literal too big for a double (Go ints are 64-bit).
function exactInt(text: string): bigint {
  let s = text.replaceAll("_", "");
  const neg = s.startsWith("-");
  if (s[0] === "-" || s[0] === "+") s = s.slice(1);
  if (/^0[0-7]+$/.test(s)) s = "0o" + s.slice(1); // legacy octal
  const v = BigInt(s);
  return neg ? -v : v;
}

class Parser {
  readonly name: string;
  readonly parseName: string;
  readonly text: string;
  readonly lex: Lexer;
  readonly hasFunction: (name: string) => boolean;
  readonly treeSet: Map<string, Tree>;
  token: [Item, Item, Item];
  peekCount = 0;
  vars: string[] = ["$"];
  actionLine = 0;
  rangeDepth = 0;
  stackDepth = 0;

  constructor(name: string, parseName: string, text: string, lex: Lexer, hasFunction: (name: string) => boolean, treeSet: Map<string, Tree>) {
    this.name = name;
    this.parseName = parseName;
    this.text = text;
    this.lex = lex;
    this.hasFunction = hasFunction;
    this.treeSet = treeSet;
    const eof: Item = { type: "eof", pos: 0, val: "", line: 1 };
    this.token = [eof, eof, eof];
  }

  // --- token buffer (three-token lookahead, as in Go)

  next(): Item {
    if (this.peekCount > 0) this.peekCount--;
    else this.token[0] = this.lex.nextItem();
    return this.token[this.peekCount] as Item;
  }

  backup(): void {
    this.peekCount++;
  }

  backup2(t1: Item): void {
    this.token[1] = t1;
    this.peekCount = 2;
  }

  backup3(t2: Item, t1: Item): void {
    this.token[1] = t1;
    this.token[2] = t2;
    this.peekCount = 3;
  }

  peek(): Item {
    if (this.peekCount > 0) return this.token[this.peekCount - 1] as Item;
    this.peekCount = 1;
    this.token[0] = this.lex.nextItem();
    return this.token[0];
  }

  nextNonSpace(): Item {
    let token: Item;
    do token = this.next();
    while (token.type === "space");
    return token;
  }

  peekNonSpace(): Item {
    const token = this.nextNonSpace();
    this.backup();
    return token;
  }

  // --- errors

  errorf(message: string): never {
    throw new TemplateParseError(`template: ${this.parseName}:${this.token[0].line}: ${message}`);
  }

  expect(expected: ItemType, context: string): Item {
    const token = this.nextNonSpace();
    if (token.type !== expected) this.unexpected(token, context);
    return token;
  }

  expectOneOf(a: ItemType, b: ItemType, context: string): Item {
    const token = this.nextNonSpace();
    if (token.type !== a && token.type !== b) this.unexpected(token, context);
    return token;
  }

  unexpected(token: Item, context: string): never {
    if (token.type === "error") {
      let extra = "";
      if (this.actionLine !== 0 && this.actionLine !== token.line) {
        extra = ` in action started at ${this.parseName}:${this.actionLine}`;
        if (token.val.endsWith(" action")) extra = extra.slice(" in action".length); // avoid "action in action"
      }
      this.errorf(`${itemString(token)}${extra}`);
    }
    this.errorf(`unexpected ${itemString(token)} in ${context}`);
  }

  // --- grammar

  /** The top level: text and actions up to EOF, plus {{define}}s. */
  parse(): ListNode {
    const root: ListNode = { type: "list", pos: this.peek().pos, nodes: [] };
    while (this.peek().type !== "eof") {
      if (this.peek().type === "leftDelim") {
        const delim = this.next();
        if (this.nextNonSpace().type === "define") {
          // A fresh parser on the same lexer, as Go's startParse gives it.
          new Parser("definition", this.parseName, this.text, this.lex, this.hasFunction, this.treeSet).parseDefinition();
          continue;
        }
        this.backup2(delim);
      }
      const n = this.textOrAction();
      if (n.type === "end" || n.type === "else") this.errorf(`unexpected ${parsedString(n)}`);
      root.nodes.push(n);
    }
    return root;
  }

  parseDefinition(): void {
    const context = "define clause";
    const nameTok = this.expectOneOf("string", "rawString", context);
    let name: string;
    try {
      name = goUnquote(nameTok.val);
    } catch (e) {
      this.errorf((e as Error).message);
    }
    this.expect("rightDelim", context);
    const [root, end] = this.itemList();
    if (end.type !== "end") this.errorf(`unexpected ${parsedString(end)} in ${context}`);
    addTree(this.treeSet, { name, parseName: this.parseName, text: this.text, root }, (m) => this.errorf(m));
  }

  itemList(): [ListNode, EndNode | ElseNode] {
    const list: ListNode = { type: "list", pos: this.peekNonSpace().pos, nodes: [] };
    while (this.peekNonSpace().type !== "eof") {
      const n = this.textOrAction();
      if (n.type === "end" || n.type === "else") return [list, n];
      list.nodes.push(n);
    }
    this.errorf("unexpected EOF");
  }

  textOrAction(): ParsedNode {
    const token = this.nextNonSpace();
    switch (token.type) {
      case "text":
        return { type: "text", pos: token.pos, text: token.val };
      case "leftDelim":
        this.actionLine = token.line;
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      default:
        this.unexpected(token, "input");
    }
  }

  action(): ParsedNode {
    const token = this.nextNonSpace();
    switch (token.type) {
      case "block":
        return this.blockControl();
      case "break":
        return this.breakControl(token.pos);
      case "continue":
        return this.continueControl(token.pos);
      case "else":
        return this.elseControl();
      case "end":
        return this.endControl();
      case "if":
        return this.branchControl("if");
      case "range":
        return this.branchControl("range");
      case "template":
        return this.templateControl();
      case "with":
        return this.branchControl("with");
    }
    this.backup();
    const start = this.peek();
    // Variables are not popped here: they persist until "end".
    return { type: "action", pos: start.pos, pipe: this.pipeline("command", "rightDelim") };
  }

  breakControl(pos: number): Node {
    const token = this.nextNonSpace();
    if (token.type !== "rightDelim") this.unexpected(token, "{{break}}");
    if (this.rangeDepth === 0) this.errorf("{{break}} outside {{range}}");
    return { type: "break", pos };
  }

  continueControl(pos: number): Node {
    const token = this.nextNonSpace();
    if (token.type !== "rightDelim") this.unexpected(token, "{{continue}}");
    if (this.rangeDepth === 0) this.errorf("{{continue}} outside {{range}}");
    return { type: "continue", pos };
  }

  pipeline(context: string, end: ItemType): PipeNode {
    const token = this.peekNonSpace();
    const pipe: PipeNode = { type: "pipe", pos: token.pos, isAssign: false, decl: [], cmds: [] };
    // Declarations or assignments: "$x :=", "$x =", "$i, $v :=".
    decls: for (;;) {
      const v = this.peekNonSpace();
      if (v.type !== "variable") break;
      this.next();
      // Spaces are tokens, so "$x foo" needs three tokens of lookahead.
      const tokenAfterVariable = this.peek();
      const next = this.peekNonSpace();
      if (next.type === "assign" || next.type === "declare") {
        pipe.isAssign = next.type === "assign";
        this.nextNonSpace();
        pipe.decl.push(newVariable(v.pos, v.val));
        this.vars.push(v.val);
      } else if (next.type === "char" && next.val === ",") {
        this.nextNonSpace();
        pipe.decl.push(newVariable(v.pos, v.val));
        this.vars.push(v.val);
        if (context === "range" && pipe.decl.length < 2) {
          const t = this.peekNonSpace().type;
          if (t === "variable" || t === "rightDelim" || t === "rightParen") continue decls; // second range variable
          this.errorf("range can only initialize variables");
        }
        this.errorf(`too many declarations in ${context}`);
      } else if (tokenAfterVariable.type === "space") {
        this.backup3(v, tokenAfterVariable);
      } else {
        this.backup2(v);
      }
      break;
    }
    for (;;) {
      const t = this.nextNonSpace();
      switch (t.type) {
        case end:
          this.checkPipeline(pipe, context);
          return pipe;
        case "bool":
        case "charConstant":
        case "complex":
        case "dot":
        case "field":
        case "identifier":
        case "number":
        case "nil":
        case "rawString":
        case "string":
        case "variable":
        case "leftParen":
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(t, context);
      }
    }
  }

  checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    // Only the first command of a pipeline may start with a non-executable operand.
    pipe.cmds.slice(1).forEach((c, i) => {
      const t = c.args[0]?.type;
      if (t === "bool" || t === "dot" || t === "nil" || t === "number" || t === "string") {
        this.errorf(`non executable command in pipeline stage ${i + 2}`);
      }
    });
  }

  parseControl(context: "if" | "range" | "with"): Omit<BranchNode, "type"> {
    const mark = this.vars.length;
    try {
      const pipe = this.pipeline(context, "rightDelim");
      if (context === "range") this.rangeDepth++;
      const [list, next] = this.itemList();
      if (context === "range") this.rangeDepth--;
      let elseList: ListNode | undefined;
      if (next.type === "else") {
        // "{{else if …}}" and "{{else with …}}" nest a new if/with in the else list;
        // its {{end}} closes both.
        if (context === "if" && this.peek().type === "if") {
          this.next();
          elseList = { type: "list", pos: next.pos, nodes: [this.branchControl("if")] };
        } else if (context === "with" && this.peek().type === "with") {
          this.next();
          elseList = { type: "list", pos: next.pos, nodes: [this.branchControl("with")] };
        } else {
          const [l, end] = this.itemList();
          if (end.type !== "end") this.errorf(`expected end; found ${parsedString(end)}`);
          elseList = l;
        }
      }
      return { pos: pipe.pos, pipe, list, elseList };
    } finally {
      this.vars.length = mark;
    }
  }

  branchControl(context: "if" | "range" | "with"): BranchNode {
    return { type: context, ...this.parseControl(context) };
  }

  endControl(): EndNode {
    return { type: "end", pos: this.expect("rightDelim", "end").pos };
  }

  elseControl(): ElseNode {
    const peek = this.peekNonSpace();
    // "{{else if" and "{{else with" leave the keyword for parseControl.
    if (peek.type === "if" || peek.type === "with") return { type: "else", pos: peek.pos };
    const token = this.expect("rightDelim", "else");
    return { type: "else", pos: token.pos };
  }

  blockControl(): Node {
    const context = "block clause";
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    const pipe = this.pipeline(context, "rightDelim");
    const block = new Parser(name, this.parseName, this.text, this.lex, this.hasFunction, this.treeSet);
    const [root, end] = block.itemList();
    if (end.type !== "end") this.errorf(`unexpected ${parsedString(end)} in ${context}`);
    addTree(this.treeSet, { name, parseName: this.parseName, text: this.text, root }, (m) => this.errorf(m));
    return { type: "template", pos: token.pos, name, pipe } satisfies TemplateNode;
  }

  templateControl(): Node {
    const context = "template clause";
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    let pipe: PipeNode | undefined;
    if (this.nextNonSpace().type !== "rightDelim") {
      this.backup();
      pipe = this.pipeline(context, "rightDelim");
    }
    return { type: "template", pos: token.pos, name, pipe };
  }

  parseTemplateName(token: Item, context: string): string {
    if (token.type === "string" || token.type === "rawString") {
      try {
        return goUnquote(token.val);
      } catch (e) {
        this.errorf((e as Error).message);
      }
    }
    this.unexpected(token, context);
  }

  command(): CommandNode {
    const cmd: CommandNode = { type: "command", pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace(); // skip leading spaces
      const operand = this.operand();
      if (operand !== undefined) cmd.args.push(operand);
      const token = this.next();
      if (token.type === "space") continue;
      if (token.type === "rightDelim" || token.type === "rightParen") this.backup();
      else if (token.type !== "pipe") this.unexpected(token, "operand");
      break;
    }
    if (cmd.args.length === 0) this.errorf("empty command");
    return cmd;
  }

  operand(): ArgNode | undefined {
    const node = this.term();
    if (node === undefined) return undefined;
    if (this.peek().type !== "field") return node;
    const chainPos = this.peek().pos;
    const fields: string[] = [];
    while (this.peek().type === "field") fields.push(this.next().val.slice(1));
    // Fields after a field or variable extend it; literals cannot have fields.
    switch (node.type) {
      case "field":
        return { type: "field", pos: chainPos, ident: [...node.ident, ...fields] } satisfies FieldNode;
      case "variable":
        return newVariable(chainPos, [...node.ident, ...fields].join("."));
      case "bool":
      case "string":
      case "number":
      case "nil":
      case "dot":
        this.errorf(`unexpected . after term ${goQuote(nodeString(node))}`);
      default:
        return { type: "chain", pos: chainPos, node, field: fields } satisfies ChainNode;
    }
  }

  term(): ArgNode | undefined {
    const token = this.nextNonSpace();
    switch (token.type) {
      case "identifier":
        if (!this.hasFunction(token.val)) this.errorf(`function ${goQuote(token.val)} not defined`);
        return { type: "identifier", pos: token.pos, ident: token.val };
      case "dot":
        return { type: "dot", pos: token.pos };
      case "nil":
        return { type: "nil", pos: token.pos };
      case "variable":
        return this.useVar(token.pos, token.val);
      case "field":
        return { type: "field", pos: token.pos, ident: token.val.slice(1).split(".") };
      case "bool":
        return { type: "bool", pos: token.pos, value: token.val === "true" };
      case "charConstant":
      case "complex":
      case "number":
        try {
          return newNumber(token.pos, token.val, token.type);
        } catch (e) {
          this.errorf((e as Error).message);
        }
      case "leftParen":
        if (this.stackDepth >= MAX_STACK_DEPTH) this.errorf("max expression depth exceeded");
        this.stackDepth++;
        try {
          return this.pipeline("parenthesized pipeline", "rightParen");
        } finally {
          this.stackDepth--;
        }
      case "string":
      case "rawString":
        try {
          return { type: "string", pos: token.pos, quoted: token.val, text: goUnquote(token.val) };
        } catch (e) {
          this.errorf((e as Error).message);
        }
    }
    this.backup();
    return undefined;
  }

  useVar(pos: number, name: string): VariableNode {
    const v = newVariable(pos, name);
    if (!this.vars.includes(v.ident[0] ?? "")) this.errorf(`undefined variable ${goQuote(v.ident[0] ?? "")}`);
    return v;
  }
}

function newVariable(pos: number, ident: string): VariableNode {
  return { type: "variable", pos, ident: ident.split(".") };
}

// Go's IsEmptyTree: nothing but space (and comments).
function isEmptyTree(n: Node): boolean {
  switch (n.type) {
    case "list":
      return n.nodes.every(isEmptyTree);
    case "text":
      return n.text.trim() === "";
    default:
      return false;
  }
}

function addTree(treeSet: Map<string, Tree>, tree: Tree, errorf: (m: string) => never): void {
  const existing = treeSet.get(tree.name);
  if (existing === undefined || isEmptyTree(existing.root)) {
    treeSet.set(tree.name, tree);
    return;
  }
  if (!isEmptyTree(tree.root)) errorf(`template: multiple definition of template ${goQuote(tree.name)}`);
}

/**
 * Parse a template and the templates it {{define}}s. `hasFunction` says which
 * function names exist (checked at parse time, as Go does). The result maps
 * template names to trees; the top-level template is under `name`.
 */
export function parse(name: string, text: string, hasFunction: (name: string) => boolean): Map<string, Tree> {
  const treeSet = new Map<string, Tree>();
  const lex = new Lexer(text, { breakOK: !hasFunction("break"), continueOK: !hasFunction("continue") });
  const p = new Parser(name, name, text, lex, hasFunction, treeSet);
  const root = p.parse();
  addTree(treeSet, { name, parseName: name, text, root }, (m) => p.errorf(m));
  return treeSet;
}
