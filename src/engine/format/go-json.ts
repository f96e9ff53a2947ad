// Go's encoding/json output for the value model of go-value.ts. Docker's
// `{{json .}}` uses an Encoder with SetEscapeHTML(false); `docker inspect`
// uses MarshalIndent (HTML escaping on, four-space indent). Objects keep their
// insertion order because they stand for Docker's structs, whose fields have a
// fixed order (a real Go map would be sorted).
import { formatFloat } from "./go-fmt";
import { goKind, goNumber, mapEntries, type GoMap } from "./go-value";

export interface GoJSONOptions {
  /** Escape <, > and & as \u003c, \u003e, \u0026 (json.Marshal's default; Docker's json func turns it off). */
  readonly escapeHTML?: boolean;
  /** Indent each level with this string (json.MarshalIndent); compact when absent. */
  readonly indent?: string;
  /** Prefix for each new line when indenting. */
  readonly prefix?: string;
}

/** An error from encoding, with Go's text ("json: unsupported value: NaN"). */
export class GoJSONError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GoJSONError";
  }
}

const HEX = "0123456789abcdef";

/** A JSON string literal as encoding/json writes it. */
export function goJSONString(s: string, escapeHTML: boolean): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      const ch = s[i] ?? "";
      if (ch === '"' || ch === "\\") out += "\\" + ch;
      else if (c === 0x08) out += "\\b";
      else if (c === 0x0c) out += "\\f";
      else if (c === 0x0a) out += "\\n";
      else if (c === 0x0d) out += "\\r";
      else if (c === 0x09) out += "\\t";
      else if (c < 0x20 || (escapeHTML && (ch === "<" || ch === ">" || ch === "&"))) {
        out += "\\u00" + HEX[c >> 4] + HEX[c & 15];
      } else out += ch;
      continue;
    }
    if (c === 0x2028 || c === 0x2029) {
      out += "\\u" + c.toString(16);
      continue;
    }
    // A lone surrogate is invalid UTF-8 in Go's eyes: it becomes U+FFFD.
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out += s.slice(i, i + 2);
        i++;
      } else out += "\ufffd";
      continue;
    }
    if (c >= 0xdc00 && c <= 0xdfff) {
      out += "\ufffd";
      continue;
    }
    out += s[i];
  }
  return out + '"';
}

function floatJSON(f: number): string {
  if (!Number.isFinite(f)) throw new GoJSONError(`json: unsupported value: ${formatFloat(f, "g", -1)}`);
  const abs = Math.abs(f);
  const fmt = abs !== 0 && (abs < 1e-6 || abs >= 1e21) ? "e" : "f";
  let b = formatFloat(f, fmt, -1);
  if (fmt === "e") {
    // Clean up e-09 to e-9.
    b = b.replace(/e-0(\d)$/, "e-$1");
  }
  return b;
}

/** json.Marshal / MarshalIndent of a value. Throws GoJSONError for NaN, infinities and functions. */
export function goJSON(value: unknown, options: GoJSONOptions = {}): string {
  const escapeHTML = options.escapeHTML ?? true;
  const indent = options.indent;
  const prefix = options.prefix ?? "";
  const newline = (depth: number): string => (indent === undefined ? "" : "\n" + prefix + indent.repeat(depth));
  const colon = indent === undefined ? ":" : ": ";

  const encode = (v: unknown, depth: number): string => {
    switch (goKind(v)) {
      case "nil":
        return "null";
      case "bool":
        return v === true ? "true" : "false";
      case "int":
        return typeof v === "bigint" ? v.toString() : BigInt(goNumber(v)).toString();
      case "float":
        return floatJSON(goNumber(v));
      case "string":
        return goJSONString(String(v), escapeHTML);
      case "func":
        throw new GoJSONError("json: unsupported type: func()");
      case "slice": {
        const list = v as readonly unknown[];
        if (list.length === 0) return "[]";
        const items = list.map((e) => newline(depth + 1) + encode(e === undefined ? null : e, depth + 1));
        return "[" + items.join(",") + newline(depth) + "]";
      }
      case "struct":
      case "map": {
        const entries = mapEntries(v as GoMap);
        if (entries.length === 0) return "{}";
        const items = entries.map(([k, e]) => newline(depth + 1) + goJSONString(k, escapeHTML) + colon + encode(e, depth + 1));
        return "{" + items.join(",") + newline(depth) + "}";
      }
    }
  };
  return encode(value, 0);
}
