// A YAML 1.2 reader for Berth's own files (lesson front matter, course and question
// files, later compose files). No npm package: the project's dependencies are fixed.
//
// Supported: block mappings and sequences (including compact `- key: v` and a sequence
// at its key's indentation), plain, single- and double-quoted scalars (all YAML escapes,
// multi-line folding), literal `|` and folded `>` block scalars with indentation and
// chomping indicators, flow `[...]` / `{...}`, comments, several documents (`---`, `...`)
// and the core schema (null, bool, int, float, string).
// Refused with an error: anchors, aliases, tags, directives, complex (`?`) keys, flow
// collections as keys, duplicate keys, tabs in indentation.
// Every error carries a 1-based line and column.

export type YamlValue = null | boolean | number | string | YamlValue[] | YamlMap;
export interface YamlMap {
  [key: string]: YamlValue;
}

export class YamlError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`line ${line}, column ${column}: ${reason}`);
    this.name = "YamlError";
  }
}

/** Parses a stream that holds at most one document (an empty stream is `null`). */
export function parseYaml(text: string): YamlValue {
  return new Parser(text).stream(1)[0] ?? null;
}

/** Parses every document of a stream. */
export function parseYamlDocuments(text: string): YamlValue[] {
  return new Parser(text).stream();
}

type Context = "doc" | "map" | "seq";

const isBlank = (c: string | undefined): boolean => c === " " || c === "\t";
/** Ends a token in block context: whitespace, line end, end of input. */
const isSep = (c: string | undefined): boolean => c === undefined || c === " " || c === "\t" || c === "\n";
const FLOW_INDICATORS = ",[]{}";
const isFlowSep = (c: string | undefined): boolean => isSep(c) || (c !== undefined && FLOW_INDICATORS.includes(c));

const ESCAPES: Record<string, string> = {
  "0": "\0",
  a: "\x07",
  b: "\b",
  t: "\t",
  "\t": "\t",
  n: "\n",
  v: "\v",
  f: "\f",
  r: "\r",
  e: "\x1b",
  " ": " ",
  '"': '"',
  "/": "/",
  "\\": "\\",
  N: "\u0085",
  _: "\u00a0",
  L: "\u2028",
  P: "\u2029",
};
const HEX_ESCAPES: Record<string, number> = { x: 2, u: 4, U: 8 };

/** The core schema's reading of a plain scalar. */
export function resolvePlain(s: string): YamlValue {
  if (/^(?:~|null|Null|NULL|)$/.test(s)) return null;
  if (/^(?:true|True|TRUE)$/.test(s)) return true;
  if (/^(?:false|False|FALSE)$/.test(s)) return false;
  if (/^[-+]?[0-9]+$/.test(s)) return Number(s);
  if (/^0o[0-7]+$/.test(s)) return parseInt(s.slice(2), 8);
  if (/^0x[0-9a-fA-F]+$/.test(s)) return parseInt(s.slice(2), 16);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/.test(s)) return Number(s);
  if (/^[-+]?\.(?:inf|Inf|INF)$/.test(s)) return s.startsWith("-") ? -Infinity : Infinity;
  if (/^\.(?:nan|NaN|NAN)$/.test(s)) return NaN;
  return s;
}

/** Sets a key as an own property, so `__proto__` in a file is data, not a prototype. */
function setKey(map: YamlMap, key: string, value: YamlValue): void {
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
}

class Parser {
  private readonly src: string;
  private pos = 0;
  private readonly lineStarts: number[] = [0];

  constructor(text: string) {
    this.src = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
    for (let i = 0; i < this.src.length; i++) if (this.src[i] === "\n") this.lineStarts.push(i + 1);
  }

  // ---- positions and errors ----

  private ch(offset = 0): string | undefined {
    return this.src[this.pos + offset];
  }

  private lineIndexOf(pos: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private col(pos = this.pos): number {
    return pos - this.lineStarts[this.lineIndexOf(pos)]!;
  }

  private fail(reason: string, pos = this.pos): never {
    const line = this.lineIndexOf(pos);
    throw new YamlError(reason, line + 1, pos - this.lineStarts[line]! + 1);
  }

  private atMarker(marker: "---" | "..."): boolean {
    return this.col() === 0 && this.src.startsWith(marker, this.pos) && isSep(this.ch(3));
  }

  // ---- whitespace ----

  private skipBlanks(): void {
    while (isBlank(this.ch())) this.pos++;
  }

  /** After a node: only blanks and a comment may follow on the line. */
  private endLine(): void {
    this.skipBlanks();
    const c = this.ch();
    if (c === "#") {
      while (this.ch() !== undefined && this.ch() !== "\n") this.pos++;
      return;
    }
    if (c === undefined || c === "\n") return;
    if (c === ":") this.fail("mapping values are not allowed here (quote the value if it contains ': ')");
    this.fail(`unexpected '${c}' after the value`);
  }

  private restOfLineEmpty(): boolean {
    this.skipBlanks();
    const c = this.ch();
    return c === undefined || c === "\n" || c === "#";
  }

  /** Moves to the first content character of the next line that has some. */
  private skipToContent(): void {
    for (;;) {
      this.skipBlanks();
      const c = this.ch();
      if (c === "#") {
        while (this.ch() !== undefined && this.ch() !== "\n") this.pos++;
        continue;
      }
      if (c !== "\n") break;
      this.pos++;
      this.checkIndentation();
    }
  }

  /** At a line start: skips the indentation, refusing tabs in it. */
  private checkIndentation(): void {
    while (this.ch() === " ") this.pos++;
    if (this.ch() !== "\t") return;
    const at = this.pos;
    this.skipBlanks();
    const d = this.ch();
    if (d !== undefined && d !== "\n" && d !== "#") this.fail("tabs are not allowed for indentation; use spaces", at);
  }

  /** Indentation of the line whose content starts here; -1 at the end of the document. */
  private indentHere(): number {
    if (this.ch() === undefined || this.atMarker("---") || this.atMarker("...")) return -1;
    return this.col();
  }

  // ---- documents ----

  stream(maxDocuments = Infinity): YamlValue[] {
    const docs: YamlValue[] = [];
    this.checkIndentation();
    this.skipToContent();
    while (this.ch() !== undefined) {
      if (this.ch() === "%" && this.col() === 0) this.fail("directives (%YAML, %TAG) are not supported");
      if (this.atMarker("...")) {
        this.pos += 3;
        this.endLine();
        this.skipToContent();
        continue;
      }
      if (docs.length === maxDocuments) this.fail("expected one document, found more (remove the extra '---')");
      let value: YamlValue;
      if (this.atMarker("---")) {
        this.pos += 3;
        value = this.value(-1, "doc");
      } else {
        value = this.blockNode(this.col(), -1);
      }
      this.skipToContent();
      if (this.atMarker("...")) {
        this.pos += 3;
        this.endLine();
        this.skipToContent();
      } else if (this.ch() !== undefined && !this.atMarker("---")) {
        this.fail(this.col() > 0 ? "bad indentation" : "unexpected content after the document");
      }
      docs.push(value);
    }
    return docs;
  }

  // ---- block structure ----

  /**
   * The value after `key:`, `- ` or `---`. `indent` is the indentation of the owning
   * mapping or sequence (-1 at the top).
   */
  private value(indent: number, ctx: Context): YamlValue {
    if (this.restOfLineEmpty()) {
      this.skipToContent();
      const n = this.indentHere();
      if (n > indent) return this.blockNode(n, indent);
      if (ctx === "map" && n === indent && n >= 0 && this.isSeqEntry()) return this.blockSeq(n, true);
      return null;
    }
    this.refuseProperties();
    if (this.isSeqEntry()) {
      if (ctx !== "seq") this.fail("a block sequence cannot start on the same line as its key");
      return this.blockSeq(this.col(), false);
    }
    if (ctx === "seq" && this.isImplicitKey()) return this.blockMap(this.col());
    return this.inlineNode(indent);
  }

  /** A node that starts a line at indentation `n`. */
  private blockNode(n: number, parentIndent: number): YamlValue {
    this.refuseProperties();
    if (this.isSeqEntry()) return this.blockSeq(n, false);
    if (this.isImplicitKey()) return this.blockMap(n);
    return this.inlineNode(parentIndent);
  }

  private refuseProperties(): void {
    const c = this.ch();
    if (c === "&") this.fail("anchors (&name) are not supported");
    if (c === "*") this.fail("aliases (*name) are not supported");
    if (c === "!") this.fail("tags (!tag) are not supported");
    if (c === "?" && isSep(this.ch(1))) this.fail("complex keys ('? ') are not supported");
    if (c === "@" || c === "`") this.fail(`a plain value cannot start with '${c}'; quote it`);
  }

  private isSeqEntry(): boolean {
    return this.ch() === "-" && isSep(this.ch(1));
  }

  /** Whether this line holds `key:` (a scalar key followed by ': ' or ':' at the end). */
  private isImplicitKey(): boolean {
    const s = this.src;
    let i = this.pos;
    const q = s[i];
    if (q === '"' || q === "'") {
      for (i++; i < s.length && s[i] !== "\n"; i++) {
        if (q === '"' && s[i] === "\\") i++;
        else if (s[i] === q) {
          if (q === "'" && s[i + 1] === "'") i++;
          else break;
        }
      }
      if (s[i] !== q) return false;
      i++;
      while (isBlank(s[i])) i++;
      return s[i] === ":" && isSep(s[i + 1]);
    }
    if (q === "[" || q === "{") {
      // A flow collection followed by ':' would be a complex key.
      return false;
    }
    for (; i < s.length && s[i] !== "\n"; i++) {
      if (s[i] === ":" && isSep(s[i + 1])) return true;
      if (s[i] === "#" && isBlank(s[i - 1])) return false;
    }
    return false;
  }

  private blockMap(n: number): YamlMap {
    const map: YamlMap = {};
    for (;;) {
      if (this.isSeqEntry()) this.fail("expected a key (key: value) here, found a sequence entry ('- ')");
      this.refuseProperties();
      const keyAt = this.pos;
      const key = this.key();
      this.skipBlanks();
      if (this.ch() !== ":" || !isSep(this.ch(1))) {
        this.fail("expected ':' after the key", this.ch() === ":" ? this.pos : keyAt);
      }
      this.pos++;
      if (Object.prototype.hasOwnProperty.call(map, key)) this.fail(`duplicate key "${key}"`, keyAt);
      setKey(map, key, this.value(n, "map"));
      this.skipToContent();
      const m = this.indentHere();
      if (m < n) return map;
      if (m > n) this.fail("bad indentation (this line is indented more than the keys before it)");
    }
  }

  private key(): string {
    const c = this.ch();
    if (c === '"' || c === "'") {
      const start = this.pos;
      const k = c === '"' ? this.doubleQuoted() : this.singleQuoted();
      if (this.lineIndexOf(start) !== this.lineIndexOf(this.pos)) this.fail("a key must fit on one line", start);
      return k;
    }
    if (c === "[" || c === "{") this.fail("collections as keys are not supported");
    this.checkPlainStart(false);
    const start = this.pos;
    while (!(this.ch() === ":" && isSep(this.ch(1))) && this.ch() !== "\n" && this.ch() !== undefined) this.pos++;
    return this.src.slice(start, this.pos).trimEnd();
  }

  /** `sameIndentAsKey`: the sequence is a mapping value written at its key's indentation. */
  private blockSeq(n: number, sameIndentAsKey: boolean): YamlValue[] {
    const list: YamlValue[] = [];
    for (;;) {
      this.pos++; // '-'
      list.push(this.value(n, "seq"));
      this.skipToContent();
      const m = this.indentHere();
      if (m < n) return list;
      if (m > n) this.fail("bad indentation (this line is indented more than the '- ' before it)");
      if (!this.isSeqEntry()) {
        if (sameIndentAsKey) return list;
        this.fail("expected '- ' (a sequence entry) at this indentation");
      }
    }
  }

  // ---- scalars and flow ----

  /** A scalar or flow collection on the current line (a block scalar or quoted one may go on). */
  private inlineNode(indent: number): YamlValue {
    const c = this.ch();
    if (c === "|" || c === ">") return this.blockScalar(indent);
    let v: YamlValue;
    if (c === "[" || c === "{") v = this.flowCollection();
    else if (c === '"') v = this.doubleQuoted();
    else if (c === "'") v = this.singleQuoted();
    else v = resolvePlain(this.plain(indent, false));
    this.endLine();
    return v;
  }

  private checkPlainStart(flow: boolean): void {
    const c = this.ch();
    if (c === undefined) return;
    if ("-?:".includes(c) && (flow ? isFlowSep(this.ch(1)) : isSep(this.ch(1)))) this.fail(`a plain value cannot start with '${c} '; quote it`);
    if (",[]{}#&*!|>%@`".includes(c) && !"-?:".includes(c)) this.fail(`a plain value cannot start with '${c}'; quote it`);
  }

  /** A plain scalar; multi-line lines are folded. In block context lines go on while indented more than `indent`. */
  private plain(indent: number, flow: boolean): string {
    this.checkPlainStart(flow);
    let text = "";
    for (let first = true; ; first = false) {
      const start = this.pos;
      let end = start;
      let stop: "eol" | "other" = "eol";
      for (;;) {
        const c = this.ch();
        if (c === undefined || c === "\n") break;
        if (c === ":" && (flow ? isFlowSep(this.ch(1)) : isSep(this.ch(1)))) {
          stop = "other";
          break;
        }
        if (c === "#" && isBlank(this.src[this.pos - 1])) {
          stop = "other";
          break;
        }
        if (flow && FLOW_INDICATORS.includes(c)) {
          stop = "other";
          break;
        }
        this.pos++;
        if (!isBlank(c)) end = this.pos;
      }
      const line = this.src.slice(start, end);
      if (!first) text += line;
      else text = line;
      if (first && line === "") return text;
      if (stop !== "eol") {
        if (!first && !flow && this.ch() === ":") this.fail("bad indentation of a mapping entry (or a multi-line value with ': ' that needs quotes)");
        return text;
      }
      // Look ahead for a continuation line.
      let p = this.pos;
      let breaks = 0;
      let contentAt = -1;
      while (p < this.src.length) {
        p++; // '\n'
        let q = p;
        while (this.src[q] === " ") q++;
        const spaces = q - p;
        while (isBlank(this.src[q])) q++;
        const d = this.src[q];
        if (d === "\n") {
          breaks++;
          p = q;
          continue;
        }
        if (d === undefined) break;
        const atMarker = spaces === 0 && (this.src.startsWith("---", p) || this.src.startsWith("...", p)) && isSep(this.src[p + 3]);
        if (d === "#" || atMarker || (!flow && spaces <= indent)) break;
        if (flow && FLOW_INDICATORS.includes(d)) break;
        if (flow && d === ":" && isFlowSep(this.src[q + 1])) break;
        contentAt = q;
        break;
      }
      if (contentAt < 0) return text;
      text += breaks ? "\n".repeat(breaks) : " ";
      this.pos = contentAt;
    }
  }

  /** Folds a line break inside a quoted scalar; returns what it becomes. */
  private foldQuotedBreak(openAt: number): string {
    let breaks = 0;
    for (;;) {
      this.pos++; // '\n'
      const lineStart = this.pos;
      this.skipBlanks();
      if (this.ch() === "\n") {
        breaks++;
        continue;
      }
      if (this.ch() === undefined || (this.pos === lineStart && (this.atMarker("---") || this.atMarker("...")))) {
        this.fail("unterminated quoted string", openAt);
      }
      return breaks ? "\n".repeat(breaks) : " ";
    }
  }

  private doubleQuoted(): string {
    const openAt = this.pos;
    this.pos++;
    let out = "";
    let blanks = "";
    for (;;) {
      const c = this.ch();
      if (c === undefined) this.fail("unterminated double-quoted string", openAt);
      if (c === '"') {
        this.pos++;
        return out + blanks;
      }
      if (c === "\n") {
        blanks = "";
        out += this.foldQuotedBreak(openAt);
        continue;
      }
      if (isBlank(c)) {
        blanks += c;
        this.pos++;
        continue;
      }
      out += blanks;
      blanks = "";
      if (c !== "\\") {
        out += c;
        this.pos++;
        continue;
      }
      const e = this.ch(1);
      if (e === "\n") {
        // An escaped line break joins the lines without a space.
        this.pos += 2;
        this.skipBlanks();
        while (this.ch() === "\n") {
          this.pos++;
          out += "\n";
          this.skipBlanks();
        }
        continue;
      }
      if (e !== undefined && e in ESCAPES) {
        out += ESCAPES[e];
        this.pos += 2;
        continue;
      }
      const len = e === undefined ? undefined : HEX_ESCAPES[e];
      if (len === undefined) this.fail(`unknown escape sequence '\\${e ?? ""}'`);
      const hex = this.src.slice(this.pos + 2, this.pos + 2 + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) this.fail(`'\\${e}' needs ${len} hexadecimal digits`);
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) this.fail(`'\\${e}${hex}' is not a Unicode code point`);
      out += String.fromCodePoint(code);
      this.pos += 2 + len;
    }
  }

  private singleQuoted(): string {
    const openAt = this.pos;
    this.pos++;
    let out = "";
    let blanks = "";
    for (;;) {
      const c = this.ch();
      if (c === undefined) this.fail("unterminated single-quoted string", openAt);
      if (c === "'") {
        if (this.ch(1) === "'") {
          out += blanks + "'";
          blanks = "";
          this.pos += 2;
          continue;
        }
        this.pos++;
        return out + blanks;
      }
      if (c === "\n") {
        blanks = "";
        out += this.foldQuotedBreak(openAt);
        continue;
      }
      if (isBlank(c)) blanks += c;
      else {
        out += blanks + c;
        blanks = "";
      }
      this.pos++;
    }
  }

  private blockScalar(indent: number): string {
    const literal = this.ch() === "|";
    this.pos++;
    let chomp: "clip" | "strip" | "keep" = "clip";
    let explicit = 0;
    for (let i = 0; i < 2; i++) {
      const c = this.ch();
      if ((c === "-" || c === "+") && chomp === "clip") {
        chomp = c === "-" ? "strip" : "keep";
        this.pos++;
      } else if (c !== undefined && c >= "1" && c <= "9" && !explicit) {
        explicit = Number(c);
        this.pos++;
      }
    }
    if (!isSep(this.ch())) this.fail(`unexpected '${this.ch()}' in a block scalar header (expected ${literal ? "|" : ">"}, an indentation digit and/or - or +)`);
    this.endLine();
    let contentIndent = explicit ? Math.max(indent + explicit, 0) : -1;
    const lines: string[] = [];
    let maxEmpty = 0;
    while (this.ch() === "\n") {
      const lineStart = this.pos + 1;
      let p = lineStart;
      while (this.src[p] === " ") p++;
      const spaces = p - lineStart;
      const d = this.src[p];
      const empty = d === "\n" || d === undefined;
      if (contentIndent < 0 && !empty) {
        if (spaces <= indent) break;
        if (spaces < maxEmpty) this.fail("a leading empty line of a block scalar is indented more than its first line", lineStart);
        contentIndent = spaces;
      }
      if (!empty && spaces < contentIndent) break;
      if (spaces === 0 && (this.src.startsWith("---", lineStart) || this.src.startsWith("...", lineStart)) && isSep(this.src[lineStart + 3])) break;
      let end = p;
      while (end < this.src.length && this.src[end] !== "\n") end++;
      if (empty) {
        maxEmpty = Math.max(maxEmpty, spaces);
        lines.push(contentIndent >= 0 ? this.src.slice(lineStart + contentIndent, end) : "");
      } else {
        lines.push(this.src.slice(lineStart + contentIndent, end));
      }
      this.pos = end;
    }
    // pos is at the line break ending the scalar's last line (or the end of input).
    let last = lines.length;
    while (last > 0 && lines[last - 1] === "") last--;
    const trailing = lines.length - last;
    const body = lines.slice(0, last);
    let text = literal ? body.join("\n") : fold(body);
    if (chomp === "strip" || body.length === 0) {
      if (chomp === "keep") text += "\n".repeat(trailing);
      return text;
    }
    text += "\n";
    if (chomp === "keep") text += "\n".repeat(trailing);
    return text;
  }

  private skipFlowSpace(): void {
    for (;;) {
      const c = this.ch();
      if (c === " " || c === "\t") this.pos++;
      else if (c === "\n") {
        this.pos++;
        if (this.atMarker("---") || this.atMarker("...")) this.fail("a document marker inside a flow collection");
      } else if (c === "#" && (this.pos === 0 || isSep(this.src[this.pos - 1]))) {
        while (this.ch() !== undefined && this.ch() !== "\n") this.pos++;
      } else return;
    }
  }

  private flowCollection(): YamlValue {
    const openAt = this.pos;
    const isSeq = this.ch() === "[";
    const close = isSeq ? "]" : "}";
    this.pos++;
    const list: YamlValue[] = [];
    const map: YamlMap = {};
    for (;;) {
      this.skipFlowSpace();
      if (this.ch() === undefined) this.fail(`unclosed '${isSeq ? "[" : "{"}'`, openAt);
      if (this.ch() === close) {
        this.pos++;
        return isSeq ? list : map;
      }
      if (this.ch() === ",") this.fail("unexpected ',' (an empty entry)");
      const keyAt = this.pos;
      const quoted = this.ch() === '"' || this.ch() === "'";
      const first = this.flowNode();
      this.skipFlowSpace();
      let entry: { key: YamlValue; value: YamlValue } | undefined;
      if (this.ch() === ":" && (quoted || isFlowSep(this.ch(1)))) {
        this.pos++;
        this.skipFlowSpace();
        const c = this.ch();
        const value = c === "," || c === close ? null : this.flowNode();
        entry = { key: first, value };
        this.skipFlowSpace();
      } else if (!isSeq) {
        entry = { key: first, value: null };
      }
      if (entry) {
        if (entry.key !== null && typeof entry.key === "object") this.fail("collections as keys are not supported", keyAt);
        const key = String(entry.key);
        const target = isSeq ? {} : map;
        if (Object.prototype.hasOwnProperty.call(target, key)) this.fail(`duplicate key "${key}"`, keyAt);
        setKey(target, key, entry.value);
        if (isSeq) list.push(target);
      } else {
        list.push(first);
      }
      const c = this.ch();
      if (c === ",") this.pos++;
      else if (c !== close) this.fail(c === undefined ? `unclosed '${isSeq ? "[" : "{"}'` : `expected ',' or '${close}'`, c === undefined ? openAt : this.pos);
    }
  }

  private flowNode(): YamlValue {
    this.refuseProperties();
    const c = this.ch();
    if (c === "[" || c === "{") return this.flowCollection();
    if (c === '"') return this.doubleQuoted();
    if (c === "'") return this.singleQuoted();
    if (c === "|" || c === ">") this.fail("block scalars are not allowed inside flow collections");
    return resolvePlain(this.plain(-1, true));
  }
}

/** Folded (`>`) block scalar lines: single breaks between plain lines become spaces. */
function fold(lines: string[]): string {
  let out = "";
  let pending = 0;
  let prevMore = false;
  let first = true;
  for (const line of lines) {
    if (line === "") {
      pending++;
      continue;
    }
    const more = isBlank(line[0]);
    if (first) out += "\n".repeat(pending);
    else if (!more && !prevMore) out += pending ? "\n".repeat(pending) : " ";
    else out += "\n".repeat(pending + 1);
    out += line;
    prevMore = more;
    first = false;
    pending = 0;
  }
  return out;
}
