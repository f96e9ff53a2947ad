// Just enough of Go's reflect.Value for the template executor. Go templates
// behave differently for "no value" (a missing map key), a nil held in an
// interface{} (JSON null), and a concrete value, and the error texts name the
// static type ("interface {}" for anything read out of a map[string]interface{}).
import { goKind, goNumber, goStructType, goTypeName, hasInterfaceElems, mapEntries, type GoKind, type GoMap } from "../go-value";

/** reflect.Value: invalid (no value), an interface{} (possibly nil), or a concrete value. */
export type RV =
  | { readonly k: "invalid" }
  | { readonly k: "iface"; readonly value: unknown }
  | { readonly k: "concrete"; readonly value: unknown };

export const INVALID: RV = { k: "invalid" };

/** reflect.ValueOf: nil gives the invalid value. */
export function valueOf(v: unknown): RV {
  return v === null || v === undefined ? INVALID : { k: "concrete", value: v };
}

/** An interface{} holding v (null is a nil interface). */
export function ifaceOf(v: unknown): RV {
  return { k: "iface", value: v === undefined ? null : v };
}

/** An element read out of a slice or map: an interface when the container holds mixed types. */
export function elemOf(container: readonly unknown[] | GoMap, v: unknown): RV {
  // Struct fields have their own types; a nil field is shown as a nil interface.
  if (goStructType(container) !== undefined) return v === null ? ifaceOf(null) : valueOf(v);
  return hasInterfaceElems(container) ? ifaceOf(v) : valueOf(v);
}

export function isValid(rv: RV): boolean {
  return rv.k !== "invalid";
}

/** reflect.Kind, with "invalid" and "interface" besides the value kinds. */
export function kindOf(rv: RV): GoKind | "invalid" | "interface" {
  if (rv.k === "invalid") return "invalid";
  if (rv.k === "iface") return "interface";
  return goKind(rv.value);
}

/** The type's String(): "interface {}" for interfaces. */
export function typeString(rv: RV): string {
  if (rv.k === "iface") return "interface {}";
  if (rv.k === "invalid") return "<invalid reflect.Value>";
  return goTypeName(rv.value);
}

/** Go's indirect: step into a non-nil interface; report a nil one. */
export function indirect(rv: RV): { rv: RV; isNil: boolean } {
  if (rv.k !== "iface") return { rv, isNil: false };
  if (rv.value === null) return { rv, isNil: true };
  return { rv: valueOf(rv.value), isNil: false };
}

/** Go's indirectInterface: the value inside an interface, or invalid for nil. */
export function indirectInterface(rv: RV): RV {
  return rv.k === "iface" ? valueOf(rv.value) : rv;
}

/** v.Interface(): the JS value (null for a nil interface or no value). */
export function toInterface(rv: RV): unknown {
  return rv.k === "invalid" ? null : rv.value;
}

/** Go's isTrue: [truth, ok]; ok is false for values with no truth (never here). */
export function isTrue(rv: RV): [boolean, boolean] {
  if (rv.k === "invalid") return [false, true];
  if (rv.k === "iface") return [rv.value !== null, true];
  const v = rv.value;
  switch (goKind(v)) {
    case "string":
      return [(v as string).length > 0, true];
    case "slice":
      return [(v as readonly unknown[]).length > 0, true];
    case "map":
      return [mapEntries(v as GoMap).length > 0, true];
    case "struct":
      return [true, true]; // struct values are always true
    case "bool":
      return [v === true, true];
    case "int":
    case "float":
      return [goNumber(v) !== 0, true];
    case "func":
      return [true, true];
    case "nil":
      return [false, true];
  }
}

/** truth() of and/or/not: isTrue of the value inside interfaces. */
export function truth(rv: RV): boolean {
  return isTrue(indirectInterface(rv))[0];
}
