// Go's value syntax and messages: strconv's parsers and quoting, time.ParseDuration
// and big.Rat.SetString. Docker prints these errors verbatim (flag values, format
// output), so the texts are Go's, byte for byte.

// unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** Go's unicode.IsPrint for one character (a code point). */
export function isGoPrint(ch: string): boolean {
  return PRINTABLE.test(ch);
}

/** Go strconv.Quote (what %q prints): escapes for control and other non-printable characters. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (c === 7) out += "\\a";
    else if (c === 8) out += "\\b";
    else if (c === 12) out += "\\f";
    else if (c === 10) out += "\\n";
    else if (c === 13) out += "\\r";
    else if (c === 9) out += "\\t";
    else if (c === 11) out += "\\v";
    else if (c < 0x20 || c === 0x7f) out += "\\x" + c.toString(16).padStart(2, "0");
    else if (PRINTABLE.test(ch)) out += ch;
    else if (c < 0x10000) out += "\\u" + c.toString(16).padStart(4, "0");
    else out += "\\U" + c.toString(16).padStart(8, "0");
  }
  return out + '"';
}

/** Go's %q for a single character (a byte/rune): 'x'. */
export function goQuoteRune(ch: string): string {
  if (ch === "'") return "'\\''";
  if (ch === "\\") return "'\\\\'";
  const q = goQuote(ch);
  return "'" + q.slice(1, -1).replace('\\"', '"') + "'";
}

/** strconv.ParseBool. */
export function parseGoBool(s: string): boolean {
  switch (s) {
    case "1":
    case "t":
    case "T":
    case "TRUE":
    case "true":
    case "True":
      return true;
    case "0":
    case "f":
    case "F":
    case "FALSE":
    case "false":
    case "False":
      return false;
  }
  throw new Error(`strconv.ParseBool: parsing ${goQuote(s)}: invalid syntax`);
}

// strconv.ParseUint(s, 0, bits) core, returning a BigInt or a reason.
function parseUintCore(s: string, bits: number): bigint | "syntax" | "range" {
  if (s === "") return "syntax";
  let base = 10;
  let i = 0;
  if (s[0] === "0") {
    if (s.length >= 3 && (s[1] === "b" || s[1] === "B")) {
      base = 2;
      i = 2;
    } else if (s.length >= 3 && (s[1] === "o" || s[1] === "O")) {
      base = 8;
      i = 2;
    } else if (s.length >= 3 && (s[1] === "x" || s[1] === "X")) {
      base = 16;
      i = 2;
    } else {
      base = 8;
      i = 1;
    }
  }
  const max = (1n << BigInt(bits)) - 1n;
  let n = 0n;
  let underscores = false;
  for (; i < s.length; i++) {
    const c = s[i] ?? "";
    if (c === "_") {
      underscores = true;
      continue;
    }
    const d = digitValue(c);
    if (d < 0 || d >= base) return "syntax";
    n = n * BigInt(base) + BigInt(d);
    if (n > max) return "range";
  }
  if (underscores && !underscoreOK(s)) return "syntax";
  return n;
}

function digitValue(c: string): number {
  if (c >= "0" && c <= "9") return c.charCodeAt(0) - 48;
  const l = c.toLowerCase();
  if (l >= "a" && l <= "z") return l.charCodeAt(0) - 87;
  return -1;
}

// strconv.underscoreOK: underscores only between digits or after a base prefix.
function underscoreOK(sIn: string): boolean {
  let s = sIn;
  let saw = "^";
  let i = 0;
  if (s.length >= 1 && (s[0] === "-" || s[0] === "+")) s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === "0" && "bBoOxX".includes(s[1] ?? "")) {
    i = 2;
    saw = "0";
    hex = s[1] === "x" || s[1] === "X";
  }
  for (; i < s.length; i++) {
    const c = s[i] ?? "";
    if ((c >= "0" && c <= "9") || (hex && /[a-fA-F]/.test(c))) {
      saw = "0";
      continue;
    }
    if (c === "_") {
      if (saw !== "0") return false;
      saw = "_";
      continue;
    }
    if (saw === "_") return false;
    saw = "!";
  }
  return saw !== "_";
}

/** strconv.ParseInt(s, 0, bits) with Go's NumError text. Returns a JS number. */
export function parseGoInt(s: string, bits = 64): number {
  const fail = (why: string): never => {
    throw new Error(`strconv.ParseInt: parsing ${goQuote(s)}: ${why}`);
  };
  if (s === "") fail("invalid syntax");
  let body = s;
  let neg = false;
  if (s[0] === "+" || s[0] === "-") {
    neg = s[0] === "-";
    body = s.slice(1);
  }
  const u = parseUintCore(body, 64);
  if (u === "syntax") fail("invalid syntax");
  if (u === "range") fail("value out of range");
  const un = u as bigint;
  const cutoff = 1n << BigInt(bits - 1);
  if (!neg && un >= cutoff) fail("value out of range");
  if (neg && un > cutoff) fail("value out of range");
  return Number(neg ? -un : un);
}

/** strconv.ParseUint(s, 0, bits) with Go's NumError text. */
export function parseGoUint(s: string, bits = 64): number {
  const u = parseUintCore(s, bits);
  if (u === "syntax") throw new Error(`strconv.ParseUint: parsing ${goQuote(s)}: invalid syntax`);
  if (u === "range") throw new Error(`strconv.ParseUint: parsing ${goQuote(s)}: value out of range`);
  return Number(u);
}

const floatDec = /^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/;
const floatHex = /^[+-]?0[xX](?:_?[0-9a-fA-F])*(?:\.[0-9a-fA-F](?:_?[0-9a-fA-F])*|\.)?[pP][+-]?\d(?:_?\d)*$/;
const floatSpecial = /^[+-]?(?:inf|infinity|nan)$/i;

/** strconv.ParseFloat(s, 64) with Go's error text. */
export function parseGoFloat(s: string): number {
  const syntax = (): never => {
    throw new Error(`strconv.ParseFloat: parsing ${goQuote(s)}: invalid syntax`);
  };
  if (floatSpecial.test(s)) {
    if (/nan/i.test(s)) return s[0] === "+" || s[0] === "-" ? syntax() : Number.NaN;
    return s[0] === "-" ? -Infinity : Infinity;
  }
  let value: number;
  if (floatDec.test(s)) {
    value = Number(s.replaceAll("_", ""));
  } else if (floatHex.test(s)) {
    value = parseHexFloat(s.replaceAll("_", ""));
  } else {
    return syntax();
  }
  if (!Number.isFinite(value)) {
    throw new Error(`strconv.ParseFloat: parsing ${goQuote(s)}: value out of range`);
  }
  return value;
}

function parseHexFloat(s: string): number {
  const m = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/.exec(s);
  if (m === null) return Number.NaN;
  const intPart = m[2] ?? "";
  const frac = m[3] ?? "";
  const mant = parseInt(intPart + frac || "0", 16);
  const value = mant * 2 ** (Number(m[4]) - 4 * frac.length);
  return m[1] === "-" ? -value : value;
}

/**
 * Read one CSV record like Go's encoding/csv (pflag stringSlice). Errors use
 * Go's ParseError text with 1-based byte columns.
/** A subset of big.Rat.SetString: "a/b", decimals with exponent, 0x/0o/0b integers; undefined when invalid. */
export function parseGoRational(sIn: string): { num: bigint; den: bigint } | undefined {
  const s = sIn.replaceAll("_", "");
  if (sIn.includes("_") && !underscoreOK(sIn.split("/")[0] ?? "")) return undefined;
  const frac = /^([+-]?)(\d+)\/(\d+)$/.exec(s);
  if (frac !== null) {
    const den = BigInt(frac[3] ?? "0");
    if (den === 0n) return undefined;
    const num = BigInt(frac[2] ?? "0");
    return { num: frac[1] === "-" ? -num : num, den };
  }
  const prefixed = /^([+-]?)0([xXoObB])([0-9a-fA-F]+)$/.exec(s);
  if (prefixed !== null) {
    const radix = { x: 16, o: 8, b: 2 }[(prefixed[2] ?? "x").toLowerCase()] ?? 16;
    const digits = prefixed[3] ?? "";
    if (![...digits].every((c) => digitValue(c) < radix)) return undefined;
    const num = [...digits].reduce((acc, c) => acc * BigInt(radix) + BigInt(digitValue(c)), 0n);
    return { num: prefixed[1] === "-" ? -num : num, den: 1n };
  }
  const dec = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(s);
  if (dec === null) return undefined;
  const intPart = dec[2] ?? "";
  const fracPart = dec[3] ?? "";
  if (intPart === "" && fracPart === "") return undefined;
  const exp = Number(dec[4] ?? "0") - fracPart.length;
  if (Math.abs(exp) > 10000) return undefined;
  let num = BigInt((intPart + fracPart).replace(/^0+(?=\d)/, "") || "0");
  let den = 1n;
  if (exp >= 0) num *= 10n ** BigInt(exp);
  else den = 10n ** BigInt(-exp);
  return { num: dec[1] === "-" ? -num : num, den };
}

const SYNTAX = "invalid syntax";

/** One character of a Go quoted literal (strconv.UnquoteChar); throws "invalid syntax". */
export function goUnquoteChar(s: string, quote: string): { value: number; multibyte: boolean; tail: string } {
  if (s === "") throw new Error(SYNTAX);
  const c = s[0] ?? "";
  if (c === quote && (quote === "'" || quote === '"')) throw new Error(SYNTAX);
  const cp = s.codePointAt(0) ?? 0;
  if (cp >= 0x80) return { value: cp, multibyte: true, tail: s.slice(cp > 0xffff ? 2 : 1) };
  if (c !== "\\") return { value: cp, multibyte: false, tail: s.slice(1) };
  if (s.length <= 1) throw new Error(SYNTAX);
  const e = s[1] ?? "";
  let rest = s.slice(2);
  const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, "\\": 92 };
  const known = simple[e];
  if (known !== undefined) return { value: known, multibyte: false, tail: rest };
  if (e === "x" || e === "u" || e === "U") {
    const n = e === "x" ? 2 : e === "u" ? 4 : 8;
    const hex = rest.slice(0, n);
    if (hex.length < n || !/^[0-9a-fA-F]+$/.test(hex)) throw new Error(SYNTAX);
    const v = parseInt(hex, 16);
    rest = rest.slice(n);
    // \x is a single byte, possibly not UTF-8; \u and \U must be valid runes.
    if (e === "x") return { value: v, multibyte: false, tail: rest };
    if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) throw new Error(SYNTAX);
    return { value: v, multibyte: true, tail: rest };
  }
  if (e >= "0" && e <= "7") {
    const oct = e + rest.slice(0, 2);
    if (!/^[0-7]{3}$/.test(oct)) throw new Error(SYNTAX);
    const v = parseInt(oct, 8);
    if (v > 255) throw new Error(SYNTAX);
    return { value: v, multibyte: false, tail: rest.slice(2) };
  }
  if (e === "'" || e === '"') {
    if (e !== quote) throw new Error(SYNTAX);
    return { value: e.charCodeAt(0), multibyte: false, tail: rest };
  }
  throw new Error(SYNTAX);
}

/**
 * strconv.Unquote for "…", `…` and '…' literals; throws "invalid syntax".
 * Byte escapes that do not form UTF-8 decode to U+FFFD (JS strings hold no raw bytes).
 */
export function goUnquote(s: string): string {
  if (s.length < 2) throw new Error(SYNTAX);
  const quote = s[0] ?? "";
  if (quote === "`") {
    if (s[s.length - 1] !== "`" || s.indexOf("`", 1) !== s.length - 1) throw new Error(SYNTAX);
    // Carriage returns inside raw strings are discarded.
    return s.slice(1, -1).replaceAll("\r", "");
  }
  if (quote !== '"' && quote !== "'") throw new Error(SYNTAX);
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  let rest = s.slice(1);
  while (rest.length > 0 && rest[0] !== quote) {
    if (rest[0] === "\n") throw new Error(SYNTAX);
    const r = goUnquoteChar(rest, quote);
    rest = r.tail;
    if (r.value < 0x80 || !r.multibyte) bytes.push(r.value);
    else bytes.push(...encoder.encode(String.fromCodePoint(r.value)));
    if (quote === "'") break;
  }
  if (rest !== quote) throw new Error(SYNTAX);
  return new TextDecoder().decode(new Uint8Array(bytes));
}
