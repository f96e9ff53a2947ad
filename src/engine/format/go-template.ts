// Go text/template for `docker … --format`, plus docker/cli's handling of the
// format string (`table`, `json`, `\t` escapes, header row, tabwriter).
//
// Data semantics: templates run against plain JS values read as Go maps, the
// way `docker inspect` falls back to a decoded map[string]interface{} (see
// go-value.ts for the type mapping). So a missing field prints "<no value>"
// where Docker's typed structs would fail with "can't evaluate field X in type
// T", and a field of null is a nil interface{} ("nil pointer evaluating
// interface {}.X" when you go further). Integral numbers are Go ints, so they
// print without ".0" as Docker's int fields do. Wrap an object with goStruct()
// to get struct semantics instead (unknown fields are errors, as in `docker ps`).
//
// Known deviations from Go: complex literals (1+2i) are refused at parse
// time; {{template}} recursion stops at depth 200 (Go: 100000, same message); %p and
// struct-only fmt forms are not supported; function values print as 0x0.
import { compareGoStrings, goStruct, goStructType } from "./go-value";
import { DOCKER_TABWRITER, tabwriterFormat } from "./tabwriter";
import { execute, TemplateExecError } from "./template/exec";
import { adaptFunc, BUILTINS, DOCKER_FUNCS, DOCKER_HEADER_FUNCS, type FuncMap, type GoFunc } from "./template/funcs";
import { parse, TemplateParseError } from "./template/parser";

export { TemplateParseError, TemplateExecError, DOCKER_FUNCS, DOCKER_HEADER_FUNCS, goStruct };
export { GoFloat } from "./go-value";
export type { FuncMap, TemplateFunc, ParamType } from "./template/funcs";

export interface ParseTemplateOptions {
  /** Template name used in errors; docker/cli uses "". */
  readonly name?: string;
  /** Functions besides Go's builtins. Default: Docker's (json, join, split, …). */
  readonly funcs?: FuncMap;
}

export interface ExecuteOptions {
  /** Replace functions for this execution (Go's Template.Funcs after parsing). */
  readonly funcs?: FuncMap;
}

function toGoFuncs(funcs: FuncMap): Map<string, GoFunc> {
  return new Map(Object.entries(funcs).map(([name, f]) => [name, adaptFunc(f)]));
}

/** A parsed template, ready to run against data. */
export class GoTemplate {
  readonly name: string;
  readonly #trees: ReturnType<typeof parse>;
  readonly #funcs: ReadonlyMap<string, GoFunc>;

  constructor(name: string, trees: ReturnType<typeof parse>, funcs: ReadonlyMap<string, GoFunc>) {
    this.name = name;
    this.#trees = trees;
    this.#funcs = funcs;
  }

  /** Run the template. Throws TemplateExecError (with the partial output) on failure. */
  execute(data: unknown, options: ExecuteOptions = {}): string {
    let funcs = this.#funcs;
    if (options.funcs !== undefined) funcs = new Map([...this.#funcs, ...toGoFuncs(options.funcs)]);
    return execute(this.#trees, this.name, data, funcs);
  }
}

/** Parse a template. Throws TemplateParseError with Go's message. */
export function parseTemplate(text: string, options: ParseTemplateOptions = {}): GoTemplate {
  const name = options.name ?? "";
  const funcs = toGoFuncs(options.funcs ?? DOCKER_FUNCS);
  const trees = parse(name, text, (fn) => funcs.has(fn) || BUILTINS.has(fn));
  return new GoTemplate(name, trees, funcs);
}

/** Parse and run in one go (errors as for parseTemplate and execute). */
export function renderTemplate(text: string, data: unknown, options: ParseTemplateOptions = {}): string {
  return parseTemplate(text, options).execute(data);
}

// ---------------------------------------------------------------------------
// docker/cli's format strings (cli/command/formatter/formatter.go)

/** What a --format value asks for. */
export interface DockerFormat {
  /** "table …": aligned columns with a header row. */
  readonly table: boolean;
  /** Exactly "json": one JSON object per line. */
  readonly json: boolean;
  /** The Go template to run for each item. */
  readonly template: string;
}

/** Docker's Format.IsTable: any format starting with "table". */
export function isTableFormat(format: string): boolean {
  return format.startsWith("table");
}

/** Docker's `\t` and `\n` escapes in format strings become real tabs and newlines. */
export function unescapeFormat(format: string): string {
  return format.replace(/\\[tn]/g, (m) => (m === "\\t" ? "\t" : "\n"));
}

/** Docker's Context.preFormat: strip "table", map "json", trim spaces, turn escapes. */
export function parseDockerFormat(format: string): DockerFormat {
  const table = isTableFormat(format);
  const json = format === "json";
  let text = format;
  if (table) text = text.slice("table".length);
  else if (json) text = "{{json .}}";
  text = text.replace(/^ +| +$/g, "");
  return { table, json, template: unescapeFormat(text) };
}

export interface RenderDockerFormatOptions {
  /** The header row's data: field name → column title, e.g. { ID: "CONTAINER ID" }. */
  readonly header?: unknown;
  /** The command's default table template, used when the format is exactly "table". */
  readonly defaultTable?: string;
}

// docker/cli's list formatters hand templates a map of their fields, so
// `{{json .}}` prints the keys sorted; rows are re-keyed the same way.
function sortedRow(item: unknown): unknown {
  if (item === null || typeof item !== "object" || Array.isArray(item) || Object.getPrototypeOf(item) !== Object.prototype) return item;
  const row = item as Record<string, unknown>;
  const sorted = Object.fromEntries(Object.keys(row).sort(compareGoStrings).map((k) => [k, row[k]]));
  const structType = goStructType(item);
  return structType === undefined ? sorted : goStruct(structType, sorted);
}

/**
 * Render list items as `docker … --format FORMAT` prints them (formatter.Context.Write):
 * each item through the template plus a newline; for "table …" formats a header
 * row (the template run against `header` with Docker's header functions) and
 * tabwriter alignment. Errors are Docker's: "template parsing error: template: …"
 * (execution errors too, as docker/cli wraps them the same way).
 */
export function renderDockerFormat(format: string, items: readonly unknown[], options: RenderDockerFormatOptions = {}): string {
  const f = parseDockerFormat(format === "table" && options.defaultTable !== undefined ? options.defaultTable : format);
  let tmpl: GoTemplate;
  try {
    tmpl = parseTemplate(f.template);
  } catch (e) {
    throw new Error(`template parsing error: ${(e as Error).message}`);
  }
  let body = "";
  for (const item of items) {
    try {
      body += tmpl.execute(sortedRow(item)) + "\n";
    } catch (e) {
      throw new Error(`template parsing error: ${(e as Error).message}`);
    }
  }
  if (!f.table) return body;
  // docker/cli ignores header errors and keeps what was written.
  let head: string;
  try {
    head = tmpl.execute(options.header ?? {}, { funcs: DOCKER_HEADER_FUNCS });
  } catch (e) {
    head = e instanceof TemplateExecError ? e.partial : "";
  }
  return tabwriterFormat(head + "\n" + body, DOCKER_TABWRITER);
}
