// Template functions: Go's builtins (text/template/funcs.go) and the ones
// docker/cli adds (templates/templates.go), with Go's signatures, because the
// executor checks arguments against them and its errors name the types.
import { sprint, sprintf, sprintln } from "../go-fmt";
import { goJSON } from "../go-json";
import { compareGoStrings, goKind, goNumber, goTypeName, mapEntries, elemTypeName, utf8Length, GoFloat, type GoMap } from "../go-value";
import { isGoPrint } from "../../util/go-values";
import { elemOf, indirect, indirectInterface, INVALID, isValid, kindOf, toInterface, truth, typeString, valueOf, type RV } from "./reflect";

/**
 * A Go parameter type. "value" is reflect.Value: the function sees the
 * argument as is, including "no value" (builtins only).
 */
export type ParamType = "string" | "int" | "bool" | "any" | "[]string" | "value";

/** A function as the executor calls it. Throwing an Error makes "error calling NAME: message". */
export interface GoFunc {
  /** Parameter types; with `variadic`, the last one is the type of each extra argument. */
  readonly params: readonly ParamType[];
  readonly variadic: boolean;
  readonly call: (args: readonly RV[]) => RV;
}

/** A function for a FuncMap, written with plain JS values. */
export interface TemplateFunc {
  readonly params: readonly Exclude<ParamType, "value">[];
  readonly variadic?: boolean;
  /** Receives strings, numbers, arrays… (null for nil); returns the result (null/undefined: nil). */
  readonly fn: (...args: unknown[]) => unknown;
}

export type FuncMap = Readonly<Record<string, TemplateFunc>>;

/** Go's name for a parameter type in error messages. */
export function paramTypeName(t: ParamType): string {
  switch (t) {
    case "any":
      return "interface {}";
    case "value":
      return "reflect.Value";
    default:
      return t;
  }
}

/** Wrap a FuncMap entry for the executor. */
export function adaptFunc(f: TemplateFunc): GoFunc {
  return {
    params: f.params,
    variadic: f.variadic ?? false,
    call: (args) => {
      const result = f.fn(...args.map(toInterface));
      // A Go function returning interface{} nil yields a nil interface.
      return result === null || result === undefined ? { k: "iface", value: null } : valueOf(result);
    },
  };
}

// ---------------------------------------------------------------------------
// Builtins

function indexArg(index: RV, cap: number): number {
  const k = kindOf(index);
  if (k === "invalid") throw new Error("cannot index slice/array with nil");
  if (k !== "int") throw new Error(`cannot index slice/array with type ${typeString(index)}`);
  const x = goNumber(toInterface(index));
  if (x < 0 || x > cap) throw new Error(`index out of range: ${x}`);
  return x;
}

const encoder = new TextEncoder();

function zeroOfElem(m: GoMap): RV {
  switch (elemTypeName(m)) {
    case "string":
      return valueOf("");
    case "int":
      return valueOf(0);
    case "float64":
      return valueOf(new GoFloat(0));
    case "bool":
      return valueOf(false);
    default:
      return { k: "iface", value: null };
  }
}

function index(args: readonly RV[]): RV {
  const [item, ...indexes] = args;
  let v = indirectInterface(item ?? INVALID);
  if (!isValid(v)) throw new Error("index of untyped nil");
  for (const i of indexes) {
    const idx = indirectInterface(i);
    const ind = indirect(v);
    if (ind.isNil) throw new Error("index of nil pointer");
    v = ind.rv;
    const value = toInterface(v);
    switch (kindOf(v)) {
      case "slice": {
        const list = value as readonly unknown[];
        const x = indexArg(idx, list.length);
        // indexArg lets x == len through; reflect then panics.
        if (x === list.length) throw new Error("reflect: slice index out of range");
        v = elemOf(list, list[x]);
        break;
      }
      case "string": {
        const bytes = encoder.encode(value as string);
        const x = indexArg(idx, bytes.length);
        if (x === bytes.length) throw new Error("reflect: string index out of range");
        v = valueOf(bytes[x] ?? 0);
        break;
      }
      case "map": {
        const m = value as GoMap;
        if (!isValid(idx)) throw new Error("value is nil; should be of type string");
        if (kindOf(idx) !== "string") throw new Error(`value has type ${typeString(idx)}; should be string`);
        const key = toInterface(idx) as string;
        const e = Object.prototype.hasOwnProperty.call(m, key) ? m[key] : undefined;
        v = e === undefined ? zeroOfElem(m) : elemOf(m, e);
        break;
      }
      default:
        throw new Error(`can't index item of type ${typeString(v)}`);
    }
  }
  return v;
}

function slice(args: readonly RV[]): RV {
  const [item, ...indexes] = args;
  const v = indirectInterface(item ?? INVALID);
  if (!isValid(v)) throw new Error("slice of untyped nil");
  if (indexes.length > 3) throw new Error(`too many slice indexes: ${indexes.length}`);
  const value = toInterface(v);
  let cap: number;
  let len: number;
  const k = kindOf(v);
  if (k === "string") {
    if (indexes.length === 3) throw new Error("cannot 3-index slice a string");
    cap = len = encoder.encode(value as string).length;
  } else if (k === "slice") {
    cap = len = (value as readonly unknown[]).length;
  } else {
    throw new Error(`can't slice item of type ${typeString(v)}`);
  }
  const idx = [0, len, 0];
  indexes.forEach((index, i) => {
    idx[i] = indexArg(index, cap);
  });
  const [lo = 0, hi = 0, max = 0] = idx;
  if (lo > hi) throw new Error(`invalid slice index: ${lo} > ${hi}`);
  if (indexes.length === 3 && hi > max) throw new Error(`invalid slice index: ${hi} > ${max}`);
  if (k === "string") return valueOf(new TextDecoder().decode(encoder.encode(value as string).slice(lo, hi)));
  return valueOf((value as readonly unknown[]).slice(lo, hi));
}

function length(args: readonly RV[]): RV {
  const v = indirectInterface(args[0] ?? INVALID);
  if (!isValid(v)) throw new Error("len of untyped nil");
  const value = toInterface(v);
  switch (goKind(value)) {
    case "string":
      return valueOf(utf8Length(value as string));
    case "slice":
      return valueOf((value as readonly unknown[]).length);
    case "map":
      return valueOf(mapEntries(value as GoMap).length);
    default:
      throw new Error(`len of type ${goTypeName(value)}`);
  }
}

type BasicKind = "invalid" | "bool" | "int" | "float" | "string";

function basicKind(rv: RV): BasicKind {
  const k = kindOf(rv);
  return k === "bool" || k === "int" || k === "float" || k === "string" ? k : "invalid";
}

const ERR_BAD_COMPARISON_TYPE = "invalid type for comparison";
const ERR_BAD_COMPARISON = "incompatible types for comparison";
const ERR_NO_COMPARISON = "missing argument for comparison";

function isNilValue(rv: RV): boolean {
  return !isValid(rv) || (rv.k === "iface" && rv.value === null);
}

function eqValues(a1: RV, args: readonly RV[]): boolean {
  const v1 = indirectInterface(a1);
  if (args.length === 0) throw new Error(ERR_NO_COMPARISON);
  const k1 = basicKind(v1);
  for (const arg of args) {
    const v2 = indirectInterface(arg);
    const k2 = basicKind(v2);
    let t = false;
    if (k1 !== k2) {
      if (isValid(v1) && isValid(v2)) throw new Error(ERR_BAD_COMPARISON);
    } else if (k1 === "invalid") {
      // Non-basic kinds (or no value): only nils compare; slices, maps and funcs cannot.
      if (isValid(v1) && isValid(v2) && kindOf(v1) !== kindOf(v2)) {
        throw new Error(sprintf("non-comparable types %s: %v, %s: %v", [toInterface(v1), typeString(v1), typeString(v2), toInterface(v2)]));
      }
      if (isNilValue(v1) || isNilValue(v2)) t = isNilValue(v1) === isNilValue(v2);
      else throw new Error(sprintf("non-comparable type %s: %v", [toInterface(v2), typeString(v2)]));
    } else {
      const x = toInterface(v1);
      const y = toInterface(v2);
      t = k1 === "int" || k1 === "float" ? goNumber(x) === goNumber(y) : x === y;
    }
    if (t) return true;
  }
  return false;
}

function ltValues(a1: RV, a2: RV): boolean {
  const v1 = indirectInterface(a1);
  const k1 = basicKind(v1);
  if (k1 === "invalid") throw new Error(ERR_BAD_COMPARISON_TYPE);
  const v2 = indirectInterface(a2);
  const k2 = basicKind(v2);
  if (k2 === "invalid") throw new Error(ERR_BAD_COMPARISON_TYPE);
  if (k1 !== k2) throw new Error(ERR_BAD_COMPARISON);
  const x = toInterface(v1);
  const y = toInterface(v2);
  switch (k1) {
    case "bool":
      throw new Error(ERR_BAD_COMPARISON_TYPE);
    case "string":
      return compareGoStrings(x as string, y as string) < 0;
    default:
      return goNumber(x) < goNumber(y);
  }
}

function bool(b: boolean): RV {
  return valueOf(b);
}

// evalArgs of html/js/urlquery: a lone string as is, else fmt.Sprint (nil shows as <no value>).
function evalArgs(args: readonly RV[]): string {
  if (args.length === 1) {
    const v = toInterface(args[0] ?? INVALID);
    if (typeof v === "string") return v;
  }
  return sprint(args.map((a) => toInterface(a) ?? "<no value>"));
}

function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) => ({ "\0": "\ufffd", '"': "&#34;", "'": "&#39;", "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c] ?? c);
}

function jsEscape(s: string): string {
  let out = "";
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    const special: Record<string, string> = { "\\": "\\\\", "'": "\\'", '"': '\\"', "<": "\\u003C", ">": "\\u003E", "&": "\\u0026", "=": "\\u003D" };
    const mapped = special[ch];
    if (mapped !== undefined) out += mapped;
    else if (c < 0x20) out += "\\u00" + c.toString(16).toUpperCase().padStart(2, "0");
    else if (c < 0x80) out += ch;
    else if (isGoPrint(ch)) out += ch;
    else out += "\\u" + c.toString(16).toUpperCase().padStart(4, "0");
  }
  return out;
}

// url.QueryEscape.
function queryEscape(s: string): string {
  let out = "";
  for (const b of encoder.encode(s)) {
    const ch = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(ch)) out += ch;
    else if (ch === " ") out += "+";
    else out += "%" + b.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

// call(name, fn, args...): the executor passes the callee's text first, as Go 1.24 does.
function callFunc(args: readonly RV[]): RV {
  const [nameArg, fnArg, ...rest] = args;
  const name = String(toInterface(nameArg ?? INVALID));
  const fn = indirectInterface(fnArg ?? INVALID);
  if (!isValid(fn)) throw new Error("call of nil");
  const f = toInterface(fn);
  if (typeof f !== "function") throw new Error(`non-function ${name} of type ${typeString(fn)}`);
  if (rest.length !== f.length) throw new Error(`wrong number of args for ${name}: got ${rest.length} want ${f.length}`);
  const result: unknown = f(...rest.map((a) => toInterface(indirectInterface(a))));
  return result === null || result === undefined ? { k: "iface", value: null } : valueOf(result);
}

// and/or are evaluated lazily by the executor; these entries give their signatures.
const lazy = (): RV => INVALID;

/** Go's builtin functions. */
export const BUILTINS: ReadonlyMap<string, GoFunc> = new Map<string, GoFunc>([
  ["and", { params: ["value", "value"], variadic: true, call: lazy }],
  ["or", { params: ["value", "value"], variadic: true, call: lazy }],
  ["not", { params: ["value"], variadic: false, call: (a) => bool(!truth(a[0] ?? INVALID)) }],
  ["call", { params: ["value", "value"], variadic: true, call: callFunc }],
  ["index", { params: ["value", "value"], variadic: true, call: index }],
  ["slice", { params: ["value", "value"], variadic: true, call: slice }],
  ["len", { params: ["any"], variadic: false, call: length }],
  ["print", { params: ["any"], variadic: true, call: (a) => valueOf(sprint(a.map(toInterface))) }],
  ["printf", { params: ["string", "any"], variadic: true, call: (a) => valueOf(sprintf(toInterface(a[0] ?? INVALID) as string, a.slice(1).map(toInterface))) }],
  ["println", { params: ["any"], variadic: true, call: (a) => valueOf(sprintln(a.map(toInterface))) }],
  ["html", { params: ["any"], variadic: true, call: (a) => valueOf(htmlEscape(evalArgs(a))) }],
  ["js", { params: ["any"], variadic: true, call: (a) => valueOf(jsEscape(evalArgs(a))) }],
  ["urlquery", { params: ["any"], variadic: true, call: (a) => valueOf(queryEscape(evalArgs(a))) }],
  ["eq", { params: ["value", "value"], variadic: true, call: (a) => bool(eqValues(a[0] ?? INVALID, a.slice(1))) }],
  ["ne", { params: ["value", "value"], variadic: false, call: (a) => bool(!eqValues(a[0] ?? INVALID, a.slice(1))) }],
  ["lt", { params: ["value", "value"], variadic: false, call: (a) => bool(ltValues(a[0] ?? INVALID, a[1] ?? INVALID)) }],
  [
    "le",
    {
      params: ["value", "value"],
      variadic: false,
      call: (a) => bool(ltValues(a[0] ?? INVALID, a[1] ?? INVALID) || eqValues(a[0] ?? INVALID, a.slice(1))),
    },
  ],
  [
    "gt",
    {
      params: ["value", "value"],
      variadic: false,
      call: (a) => bool(!(ltValues(a[0] ?? INVALID, a[1] ?? INVALID) || eqValues(a[0] ?? INVALID, a.slice(1)))),
    },
  ],
  ["ge", { params: ["value", "value"], variadic: false, call: (a) => bool(!ltValues(a[0] ?? INVALID, a[1] ?? INVALID)) }],
]);

// ---------------------------------------------------------------------------
// docker/cli's functions

function repeat(count: unknown): string {
  const n = Number(count);
  if (n < 0) throw new Error("strings: negative Repeat count");
  if (n > 2 ** 28) throw new Error("strings: Repeat output length overflow");
  return " ".repeat(n);
}

// Title case differs from upper case only for these digraphs.
const TITLE_CASE: Readonly<Record<string, string>> = {
  Ǆ: "ǅ",
  ǅ: "ǅ",
  ǆ: "ǅ",
  Ǉ: "ǈ",
  ǈ: "ǈ",
  ǉ: "ǈ",
  Ǌ: "ǋ",
  ǋ: "ǋ",
  ǌ: "ǋ",
  Ǳ: "ǲ",
  ǲ: "ǲ",
  ǳ: "ǲ",
};

// strings.Title: title-case the first letter of each word.
function title(s: string): string {
  const isSeparator = (ch: string): boolean => {
    const c = ch.codePointAt(0) ?? 0;
    if (c <= 0x7f) return !/[0-9A-Za-z_]/.test(ch);
    if (/[\p{L}\p{Nd}]/u.test(ch)) return false;
    return /\s/u.test(ch);
  };
  let prev = " ";
  let out = "";
  for (const ch of s) {
    out += isSeparator(prev) ? (TITLE_CASE[ch] ?? simpleUpper(ch)) : ch;
    prev = ch;
  }
  return out;
}

// Go maps case one rune to one rune; JS may expand (ß → SS), which Go does not.
function simpleUpper(ch: string): string {
  const u = ch.toUpperCase();
  return Array.from(u).length === 1 ? u : ch;
}

function simpleLower(ch: string): string {
  if (ch === "\u0130") return "i"; // JS adds a combining dot; Go's simple mapping does not
  const l = ch.toLowerCase();
  return Array.from(l).length === 1 ? l : ch;
}

// strings.Split: "" as separator splits into UTF-8 sequences.
function split(s: string, sep: string): string[] {
  if (sep === "") return Array.from(s);
  return s.split(sep);
}

function truncate(s: string, count: unknown): string {
  const n = Number(count);
  const bytes = encoder.encode(s);
  if (bytes.length < n) return s;
  if (n < 0) throw new Error(`runtime error: slice bounds out of range [:${n}]`);
  return new TextDecoder().decode(bytes.slice(0, n));
}

/** The functions every docker --format template gets (templates.basicFunctions). */
export const DOCKER_FUNCS: FuncMap = {
  json: {
    params: ["any"],
    fn: (v) => {
      // docker/cli ignores the encoder's error, leaving nothing written.
      try {
        return goJSON(v, { escapeHTML: false });
      } catch {
        return "";
      }
    },
  },
  split: { params: ["string", "string"], fn: (s, sep) => split(s as string, sep as string) },
  join: { params: ["[]string", "string"], fn: (list, sep) => (list as string[]).join(sep as string) },
  title: { params: ["string"], fn: (s) => title(s as string) },
  lower: { params: ["string"], fn: (s) => Array.from(s as string, simpleLower).join("") },
  upper: { params: ["string"], fn: (s) => Array.from(s as string, simpleUpper).join("") },
  pad: {
    params: ["string", "int", "int"],
    fn: (s, prefix, suffix) => ((s as string) === "" ? "" : repeat(prefix) + (s as string) + repeat(suffix)),
  },
  truncate: { params: ["string", "int"], fn: (s, n) => truncate(s as string, n) },
};

const identity = (s: unknown): unknown => s;

/**
 * templates.HeaderFunctions: replace the basic functions when a table header
 * is rendered, so `{{upper .Name}}` keeps the header text as is (pad is kept).
 */
export const DOCKER_HEADER_FUNCS: FuncMap = {
  json: { params: ["string"], fn: identity },
  split: { params: ["string", "string"], fn: identity },
  join: { params: ["string", "string"], fn: identity },
  title: { params: ["string"], fn: identity },
  lower: { params: ["string"], fn: identity },
  upper: { params: ["string"], fn: identity },
  truncate: { params: ["string", "int"], fn: identity },
};
