// How plain JavaScript data looks to Go code that prints it (fmt, encoding/json,
// text/template). Docker formats its output with Go, so the engine needs to know
// which Go type a JS value stands for:
//   null / undefined  → nil (an empty interface{})
//   boolean           → bool
//   integral number   → int (Docker's typed structs use int/int64 for counts and sizes)
//   other number      → float64; wrap an integral float in GoFloat to keep it float64
//   string            → string
//   array             → []T, T the common element type, else []interface {}
//   object            → map[string]T likewise (keys are strings)
//   function          → a method (templates call it; fmt, json, range and len skip it)
//   goStruct(T, obj)  → a struct of type T: unknown fields are errors, as in Docker's
//                       typed template contexts (e.g. *formatter.ContainerContext)

/** A float64 whose value is integral: GoFloat(1) prints "1" but compares and formats as a float. */
export class GoFloat {
  constructor(readonly value: number) {}
}

export type GoKind = "nil" | "bool" | "int" | "float" | "string" | "slice" | "map" | "struct" | "func";

const GO_TYPE: unique symbol = Symbol("goType");

/**
 * Mark a plain object as a Go struct of the given type name (e.g.
 * "*formatter.ContainerContext"), so templates reject unknown fields with Go's
 * "can't evaluate field X in type T" and fmt prints it as {v1 v2}. Returns the object.
 */
export function goStruct<T extends object>(typeName: string, fields: T): T {
  Object.defineProperty(fields, GO_TYPE, { value: typeName, enumerable: false });
  return fields;
}

/** The struct type name given by goStruct, if any. */
export function goStructType(v: unknown): string | undefined {
  if (v === null || typeof v !== "object") return undefined;
  const t = (v as { [GO_TYPE]?: unknown })[GO_TYPE];
  return typeof t === "string" ? t : undefined;
}

/** A JS object read as a Go map (own enumerable string keys). */
export type GoMap = { readonly [key: string]: unknown };

// Beyond int64 a JS integer can only be a float64 in Go.
const INT64_LIMIT = 2 ** 63;

export function goKind(v: unknown): GoKind {
  if (v === null || v === undefined) return "nil";
  switch (typeof v) {
    case "boolean":
      return "bool";
    case "number":
      return Number.isInteger(v) && Math.abs(v) < INT64_LIMIT ? "int" : "float";
    case "bigint":
      return "int";
    case "string":
      return "string";
    case "function":
      return "func";
    case "object":
      if (v instanceof GoFloat) return "float";
      if (Array.isArray(v)) return "slice";
      return goStructType(v) !== undefined ? "struct" : "map";
    default:
      return "string";
  }
}

/** The numeric value of an int or float kind. */
export function goNumber(v: unknown): number {
  if (v instanceof GoFloat) return v.value;
  if (typeof v === "bigint") return Number(v);
  return typeof v === "number" ? v : Number.NaN;
}

/**
 * The data entries of a map: undefined counts as absent (as in JSON), and
 * functions are methods, not entries (as fmt and encoding/json see a struct).
 */
export function mapEntries(m: GoMap): Array<[string, unknown]> {
  return Object.entries(m).filter(([, v]) => v !== undefined && typeof v !== "function");
}

/** Go's string order is byte order of UTF-8, which is code point order. */
export function compareGoStrings(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done === true) return y.done === true ? 0 : -1;
    if (y.done === true) return 1;
    const cx = x.value.codePointAt(0) ?? 0;
    const cy = y.value.codePointAt(0) ?? 0;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

/** Map entries sorted by key, as fmt and range visit them. */
export function sortedMapEntries(m: GoMap): Array<[string, unknown]> {
  return mapEntries(m).sort(([a], [b]) => compareGoStrings(a, b));
}

const SCALAR_TYPES: Partial<Record<GoKind, string>> = { bool: "bool", int: "int", float: "float64", string: "string" };

/**
 * The element type of a slice or map: the common scalar type of its values,
 * "string" when empty (Docker's empty lists and label maps are []string and
 * map[string]string), otherwise "interface {}".
 */
export function elemTypeName(container: readonly unknown[] | GoMap): string {
  const values = Array.isArray(container) ? (container as readonly unknown[]) : mapEntries(container as GoMap).map(([, v]) => v);
  if (values.length === 0) return "string";
  let common: string | undefined;
  for (const v of values) {
    const t = SCALAR_TYPES[goKind(v)];
    if (t === undefined || (common !== undefined && common !== t)) return "interface {}";
    common = t;
  }
  return common ?? "interface {}";
}

/** Whether the elements of a container are interface values (may hold nil or any type). */
export function hasInterfaceElems(container: readonly unknown[] | GoMap): boolean {
  return elemTypeName(container) === "interface {}";
}

/** Go's reflect type string for a non-nil value (nil has no type: "<nil>"). */
export function goTypeName(v: unknown): string {
  switch (goKind(v)) {
    case "nil":
      return "<nil>";
    case "bool":
      return "bool";
    case "int":
      return "int";
    case "float":
      return "float64";
    case "string":
      return "string";
    case "func":
      return "func()";
    case "slice":
      return "[]" + elemTypeName(v as readonly unknown[]);
    case "map":
      return "map[string]" + elemTypeName(v as GoMap);
    case "struct":
      return goStructType(v) ?? "struct {}";
  }
}

/** UTF-8 length in bytes, which is what Go's len() counts for strings. */
export function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}
