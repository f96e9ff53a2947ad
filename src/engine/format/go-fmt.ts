// Go's fmt.Sprint / Sprintln / Sprintf and strconv.FormatFloat over the value
// model of go-value.ts. Docker templates print through these (`{{.Size}}`,
// `{{printf "%.2f" .X}}`), so the texts follow Go 1.24 exactly, including the
// "%!verb(type=value)" complaints. Not covered: %p, struct-only flags (%+v),
// and Go-syntax %#v beyond strings, numbers, slices and maps.
import { goQuote, isGoPrint } from "../util/go-values";
import { goKind, goNumber, goStructType, goTypeName, hasInterfaceElems, mapEntries, sortedMapEntries, type GoMap } from "./go-value";

// ---------------------------------------------------------------------------
// strconv.FormatFloat

interface Digits {
  /** Decimal digits without leading or trailing zeros ("" for zero). */
  d: string;
  /** Position of the decimal point relative to d. */
  dp: number;
}

// The exact decimal expansion of a double (every double has a finite one).
function exactDigits(v: number): Digits {
  if (v === 0) return { d: "", dp: 0 };
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, v);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (biased === 0) exp = -1074;
  else {
    mant |= 1n << 52n;
    exp = biased - 1075;
  }
  let digits: string;
  let dp: number;
  if (exp >= 0) {
    digits = (mant << BigInt(exp)).toString();
    dp = digits.length;
  } else {
    // m / 2^k == m * 5^k / 10^k
    digits = (mant * 5n ** BigInt(-exp)).toString();
    dp = digits.length + exp;
  }
  return trimDigits({ d: digits, dp });
}

function trimDigits(x: Digits): Digits {
  let d = x.d.replace(/0+$/, "");
  let dp = x.dp;
  const lead = /^0*/.exec(d)?.[0].length ?? 0;
  d = d.slice(lead);
  dp -= lead;
  return d === "" ? { d: "", dp: 0 } : { d, dp };
}

// Round to nd significant digits, half to even on exact ties (strconv's decimal.Round).
function roundDigits(x: Digits, nd: number): Digits {
  if (nd < 0) return { d: "", dp: 0 };
  if (nd >= x.d.length) return x;
  const next = x.d.charCodeAt(nd) - 48;
  let up: boolean;
  if (next > 5) up = true;
  else if (next < 5) up = false;
  else if (nd + 1 < x.d.length) up = true;
  else up = nd > 0 && (x.d.charCodeAt(nd - 1) - 48) % 2 === 1;
  let d = x.d.slice(0, nd);
  let dp = x.dp;
  if (up) {
    let i = d.length - 1;
    while (i >= 0 && d[i] === "9") i--;
    if (i < 0) {
      d = "1";
      dp += 1;
    } else {
      d = d.slice(0, i) + String.fromCharCode(d.charCodeAt(i) + 1);
    }
  }
  return trimDigits({ d, dp });
}

// The shortest digits that read back as v (JS and Go agree on these).
function shortestDigits(v: number): Digits {
  const m = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(v.toExponential());
  if (m === null) return exactDigits(v);
  return trimDigits({ d: (m[1] ?? "") + (m[2] ?? ""), dp: Number(m[3]) + 1 });
}

function fmtE(neg: boolean, x: Digits, prec: number, fmtChar: string): string {
  let s = neg ? "-" : "";
  s += x.d.length > 0 ? x.d[0] : "0";
  if (prec > 0) {
    s += ".";
    let i = 1;
    const m = Math.min(x.d.length, prec + 1);
    if (i < m) {
      s += x.d.slice(i, m);
      i = m;
    }
    s += "0".repeat(Math.max(0, prec + 1 - i));
  }
  s += fmtChar;
  let exp = x.dp - 1;
  if (x.d.length === 0) exp = 0;
  s += exp < 0 ? "-" : "+";
  exp = Math.abs(exp);
  s += exp < 10 ? "0" + exp : String(exp);
  return s;
}

function fmtF(neg: boolean, x: Digits, prec: number): string {
  let s = neg ? "-" : "";
  if (x.dp > 0) {
    const m = Math.min(x.d.length, x.dp);
    s += x.d.slice(0, m) + "0".repeat(x.dp - m);
  } else {
    s += "0";
  }
  if (prec > 0) {
    s += ".";
    for (let i = 1; i <= prec; i++) {
      const j = x.dp + i - 1;
      s += j >= 0 && j < x.d.length ? x.d[j] : "0";
    }
  }
  return s;
}

// %x / %X for floats: -0x1.8p+01 style, hex mantissa with leading 1.
function fmtX(v: number, prec: number, upper: boolean): string {
  const neg = v < 0 || Object.is(v, -0);
  let a = Math.abs(v);
  let exp = 0;
  let mant = 0n;
  if (a !== 0) {
    const buf = new DataView(new ArrayBuffer(8));
    buf.setFloat64(0, a);
    const hi = buf.getUint32(0);
    const lo = buf.getUint32(4);
    const biased = (hi >>> 20) & 0x7ff;
    mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
    if (biased === 0) {
      // Subnormal: normalize so the leading 1 is explicit.
      exp = -1022;
      while ((mant & (1n << 52n)) === 0n) {
        mant <<= 1n;
        exp--;
      }
      mant &= (1n << 52n) - 1n;
    } else {
      exp = biased - 1023;
    }
    a = 1;
  }
  // 52 fraction bits = 13 hex digits.
  let frac = mant.toString(16).padStart(13, "0");
  let lead = a === 0 ? 0 : 1;
  if (prec >= 0 && prec < 13) {
    // Round half to even on the dropped bits.
    const shift = BigInt((13 - prec) * 4);
    let m = (BigInt(lead) << 52n) | mant;
    const half = 1n << (shift - 1n);
    const rem = m & ((1n << shift) - 1n);
    m >>= shift;
    if (rem > half || (rem === half && (m & 1n) === 1n)) m += 1n;
    if (m >> BigInt(prec * 4) >= 2n) {
      m >>= 1n;
      exp++;
    }
    lead = Number(m >> BigInt(prec * 4));
    frac = prec === 0 ? "" : (m & ((1n << BigInt(prec * 4)) - 1n)).toString(16).padStart(prec, "0");
  } else if (prec < 0) {
    frac = frac.replace(/0+$/, "");
  } else {
    frac = frac + "0".repeat(prec - 13);
  }
  let s = (neg ? "-" : "") + "0x" + String(lead) + (frac !== "" ? "." + frac : "") + "p";
  s += exp < 0 ? "-" : "+";
  const e = Math.abs(exp);
  s += e < 10 ? "0" + e : String(e);
  return upper ? s.toUpperCase() : s;
}

// %b: the integer mantissa and a power-of-two exponent (4503599627370496p-52).
function fmtB(v: number): string {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, v);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp = biased - 1075;
  if (biased === 0) exp = -1074;
  else mant |= 1n << 52n;
  const sign = hi >>> 31 === 1 ? "-" : "";
  return sign + mant.toString() + "p" + (exp >= 0 ? "+" : "-") + String(Math.abs(exp));
}

/**
 * strconv.FormatFloat(v, fmt, prec, 64). fmt is one of b e E f F g G x X;
 * prec -1 asks for the shortest representation that reads back exactly.
 */
export function formatFloat(v: number, fmt: string, prec: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  if (fmt === "x" || fmt === "X") return fmtX(v, prec, fmt === "X");
  if (fmt === "b") return fmtB(v);
  const neg = v < 0 || Object.is(v, -0);
  const shortest = prec < 0;
  let x: Digits;
  let p = prec;
  if (shortest) {
    x = shortestDigits(Math.abs(v));
    if (fmt === "e" || fmt === "E") p = Math.max(x.d.length - 1, 0);
    else if (fmt === "f" || fmt === "F") p = Math.max(x.d.length - x.dp, 0);
    else p = x.d.length;
  } else {
    const exact = exactDigits(Math.abs(v));
    if (fmt === "e" || fmt === "E") x = roundDigits(exact, p + 1);
    else if (fmt === "f" || fmt === "F") x = roundDigits(exact, exact.dp + p);
    else {
      if (p === 0) p = 1;
      x = roundDigits(exact, p);
    }
  }
  switch (fmt) {
    case "e":
    case "E":
      return fmtE(neg, x, p, fmt);
    case "f":
    case "F":
      return fmtF(neg, x, p);
    default: {
      let eprec = p;
      if (eprec > x.d.length && x.d.length >= x.dp) eprec = x.d.length;
      // %e is used if the exponent is < -4 or >= the precision (6 for shortest).
      if (shortest) eprec = 6;
      const exp = x.dp - 1;
      if (exp < -4 || exp >= eprec) {
        if (p > x.d.length) p = x.d.length;
        return fmtE(neg, x, p - 1, fmt === "G" ? "E" : "e");
      }
      if (p > x.dp) p = x.d.length;
      return fmtF(neg, x, Math.max(p - x.dp, 0));
    }
  }
}

// ---------------------------------------------------------------------------
// fmt printer

interface Flags {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  plusV: boolean;
  sharpV: boolean;
  wid: number;
  widPresent: boolean;
  prec: number;
  precPresent: boolean;
}

function clearFlags(): Flags {
  return {
    plus: false,
    minus: false,
    sharp: false,
    space: false,
    zero: false,
    plusV: false,
    sharpV: false,
    wid: 0,
    widPresent: false,
    prec: 0,
    precPresent: false,
  };
}

function runeCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

const LOWER_DIGITS = "0123456789abcdefx";
/** Integer verbs that print in a radix: Go's fmt.fmtInteger. */
const INTEGER_VERBS: Record<string, { base: number; digits: string }> = {
  v: { base: 10, digits: LOWER_DIGITS },
  d: { base: 10, digits: LOWER_DIGITS },
  b: { base: 2, digits: LOWER_DIGITS },
  o: { base: 8, digits: LOWER_DIGITS },
  O: { base: 8, digits: LOWER_DIGITS },
  x: { base: 16, digits: LOWER_DIGITS },
  X: { base: 16, digits: "0123456789ABCDEFX" },
};

class Printer {
  buf = "";
  f: Flags = clearFlags();

  writePadding(n: number): void {
    if (n <= 0) return;
    this.buf += (this.f.zero ? "0" : " ").repeat(n);
  }

  pad(s: string): void {
    if (!this.f.widPresent || this.f.wid === 0) {
      this.buf += s;
      return;
    }
    const width = this.f.wid - runeCount(s);
    if (!this.f.minus) {
      this.writePadding(width);
      this.buf += s;
    } else {
      this.buf += s;
      this.writePadding(width);
    }
  }

  truncate(s: string): string {
    if (!this.f.precPresent) return s;
    return Array.from(s).slice(0, this.f.prec).join("");
  }

  badVerb(verb: string, arg: unknown, hasArg: boolean): void {
    this.buf += "%!" + verb + "(";
    if (hasArg && arg !== null && arg !== undefined) {
      this.buf += goTypeName(arg) + "=";
      this.printArg(arg, "v");
    } else {
      this.buf += "<nil>";
    }
    this.buf += ")";
  }

  printArg(arg: unknown, verb: string): void {
    if (arg === null || arg === undefined) {
      if (verb === "T" || verb === "v") this.pad("<nil>");
      else this.badVerb(verb, arg, false);
      return;
    }
    if (verb === "T") {
      this.fmtS(goTypeName(arg));
      return;
    }
    this.printValue(arg, verb);
  }

  printValue(v: unknown, verb: string): void {
    switch (goKind(v)) {
      case "nil":
        // Only reached inside containers of interface values.
        if (this.f.sharpV) this.buf += "interface {}(nil)";
        else this.pad("<nil>");
        return;
      case "bool":
        this.fmtBool(v === true, verb, v);
        return;
      case "int":
        this.fmtInteger(typeof v === "bigint" ? v : BigInt(goNumber(v)), verb, v);
        return;
      case "float":
        this.fmtFloat(goNumber(v), verb, v);
        return;
      case "string":
        this.fmtString(String(v), verb, v);
        return;
      case "func":
        if (verb === "v") this.pad(this.f.sharpV ? "(func())(0x0)" : "0x0");
        else this.badVerb(verb, v, true);
        return;
      case "slice": {
        const list = v as readonly unknown[];
        if (this.f.sharpV) {
          this.buf += goTypeName(v) + "{";
          list.forEach((e, i) => {
            if (i > 0) this.buf += ", ";
            this.printValue(e, verb);
          });
          this.buf += "}";
          return;
        }
        this.buf += "[";
        list.forEach((e, i) => {
          if (i > 0) this.buf += " ";
          this.printValue(e, verb);
        });
        this.buf += "]";
        return;
      }
      case "struct": {
        // Go prints a struct's field values in order; a pointer to one with "&".
        if (goStructType(v)?.startsWith("*") === true) this.buf += "&";
        this.buf += "{";
        mapEntries(v as GoMap).forEach(([, e], i) => {
          if (i > 0) this.buf += " ";
          this.printValue(e, verb);
        });
        this.buf += "}";
        return;
      }
      case "map": {
        const m = v as GoMap;
        const iface = hasInterfaceElems(m);
        this.buf += this.f.sharpV ? goTypeName(v) + "{" : "map[";
        sortedMapEntries(m).forEach(([k, e], i) => {
          if (i > 0) this.buf += this.f.sharpV ? ", " : " ";
          this.printValue(k, verb);
          this.buf += ":";
          if (this.f.sharpV && iface && e === null) this.buf += "interface {}(nil)";
          else this.printValue(e, verb);
        });
        this.buf += this.f.sharpV ? "}" : "]";
        return;
      }
    }
  }

  fmtBool(b: boolean, verb: string, arg: unknown): void {
    if (verb === "t" || verb === "v") this.pad(b ? "true" : "false");
    else this.badVerb(verb, arg, true);
  }

  fmtInteger(n: bigint, verb: string, arg: unknown): void {
    const radix = INTEGER_VERBS[verb];
    if (radix) {
      this.fmtInt(n, radix.base, verb, radix.digits);
      return;
    }
    switch (verb) {
      case "c":
        this.pad(runeString(n));
        return;
      case "q":
        this.pad(quoteRune(n, this.f.plus));
        return;
      case "U":
        this.fmtUnicode(n);
        return;
      default:
        this.badVerb(verb, arg, true);
    }
  }

  fmtInt(value: bigint, base: number, verb: string, digits: string): void {
    const negative = value < 0n;
    let u = negative ? -value : value;
    let prec = 0;
    if (this.f.precPresent) {
      prec = this.f.prec;
      // Precision 0 and value 0 print nothing but padding.
      if (prec === 0 && u === 0n) {
        const oldZero = this.f.zero;
        this.f.zero = false;
        this.writePadding(this.f.wid);
        this.f.zero = oldZero;
        return;
      }
    } else if (this.f.zero && !this.f.minus && this.f.widPresent) {
      prec = this.f.wid;
      if (negative || this.f.plus || this.f.space) prec--; // room for the sign
    }
    let s = "";
    if (u === 0n) s = "0";
    while (u > 0n) {
      s = (digits[Number(u % BigInt(base))] ?? "0") + s;
      u /= BigInt(base);
    }
    if (s.length < prec) s = "0".repeat(prec - s.length) + s;
    if (this.f.sharp) {
      if (base === 2) s = "0b" + s;
      else if (base === 8 && s[0] !== "0") s = "0" + s;
      else if (base === 16) s = "0" + (digits[16] ?? "x") + s;
    }
    if (verb === "O") s = "0o" + s;
    if (negative) s = "-" + s;
    else if (this.f.plus) s = "+" + s;
    else if (this.f.space) s = " " + s;
    const oldZero = this.f.zero;
    this.f.zero = false;
    this.pad(s);
    this.f.zero = oldZero;
  }

  fmtUnicode(n: bigint): void {
    let s = "U+" + n.toString(16).toUpperCase().padStart(this.f.precPresent && this.f.prec > 4 ? this.f.prec : 4, "0");
    if (this.f.sharp && n >= 0n && n <= 0x10ffffn) {
      const ch = String.fromCodePoint(Number(n));
      if (isGoPrint(ch)) s += " '" + ch + "'";
    }
    const oldZero = this.f.zero;
    this.f.zero = false;
    this.pad(s);
    this.f.zero = oldZero;
  }

  fmtFloat(v: number, verb: string, arg: unknown): void {
    let fmtVerb: string;
    let prec: number;
    switch (verb) {
      case "v":
        fmtVerb = "g";
        prec = -1;
        break;
      case "b":
      case "g":
      case "G":
      case "x":
      case "X":
        fmtVerb = verb;
        prec = -1;
        break;
      case "f":
      case "e":
      case "E":
      case "F":
        fmtVerb = verb;
        prec = 6;
        break;
      default:
        this.badVerb(verb, arg, true);
        return;
    }
    if (this.f.precPresent) prec = this.f.prec;
    let num = formatFloat(v, fmtVerb === "F" ? "f" : fmtVerb, prec);
    if (num[0] !== "-" && num[0] !== "+") num = "+" + num;
    if (this.f.space && num[0] === "+" && !this.f.plus) num = " " + num.slice(1);
    if (num[1] === "I" || num[1] === "N") {
      const oldZero = this.f.zero;
      this.f.zero = false;
      if (num[1] === "N" && !this.f.space && !this.f.plus) num = num.slice(1);
      this.pad(num);
      this.f.zero = oldZero;
      return;
    }
    if (this.f.plus || num[0] !== "+") {
      if (this.f.zero && !this.f.minus && this.f.widPresent && this.f.wid > num.length) {
        this.buf += num[0];
        this.writePadding(this.f.wid - num.length);
        this.buf += num.slice(1);
        return;
      }
      this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }

  fmtString(s: string, verb: string, arg: unknown): void {
    switch (verb) {
      case "v":
        if (this.f.sharpV) this.fmtQ(s);
        else this.fmtS(s);
        return;
      case "s":
        this.fmtS(s);
        return;
      case "x":
        this.fmtSx(s, "0123456789abcdefx");
        return;
      case "X":
        this.fmtSx(s, "0123456789ABCDEFX");
        return;
      case "q":
        this.fmtQ(s);
        return;
      default:
        this.badVerb(verb, arg, true);
    }
  }

  fmtS(s: string): void {
    this.pad(this.truncate(s));
  }

  fmtQ(sIn: string): void {
    const s = this.truncate(sIn);
    if (this.f.sharp && !/[`\u0000-\u0008\u000a-\u001f\u007f\ufeff]/u.test(s)) {
      this.pad("`" + s + "`");
      return;
    }
    this.pad(this.f.plus ? quoteASCII(s) : goQuote(s));
  }

  fmtSx(s: string, digits: string): void {
    const bytes = new TextEncoder().encode(s);
    const length = this.f.precPresent && this.f.prec < bytes.length ? this.f.prec : bytes.length;
    let out = "";
    for (let i = 0; i < length; i++) {
      if (this.f.space && i > 0) out += " ";
      if (this.f.sharp && (this.f.space || i === 0)) out += "0" + (digits[16] ?? "x");
      const b = bytes[i] ?? 0;
      out += (digits[b >> 4] ?? "0") + (digits[b & 15] ?? "0");
    }
    this.pad(out);
  }
}

function runeString(n: bigint): string {
  if (n < 0n || n > 0x10ffffn || (n >= 0xd800n && n <= 0xdfffn)) return "\ufffd";
  return String.fromCodePoint(Number(n));
}

// strconv.QuoteRune, or QuoteRuneToASCII for %+q.
function quoteRune(n: bigint, ascii: boolean): string {
  const ch = runeString(n);
  if (ch === "'") return "'\\''";
  if (ch === '"') return "'\"'";
  return "'" + (ascii ? quoteASCII(ch) : goQuote(ch)).slice(1, -1) + "'";
}

function quoteASCII(s: string): string {
  let out = "";
  for (const ch of goQuote(s)) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x80) out += ch;
    else if (c < 0x10000) out += "\\u" + c.toString(16).padStart(4, "0");
    else out += "\\U" + c.toString(16).padStart(8, "0");
  }
  return out;
}

// ---------------------------------------------------------------------------
// Sprint, Sprintln, Sprintf

/** fmt.Sprint: spaces between operands when neither side is a string. */
export function sprint(args: readonly unknown[]): string {
  const p = new Printer();
  let prevString = false;
  args.forEach((arg, i) => {
    const isString = typeof arg === "string";
    if (i > 0 && !isString && !prevString) p.buf += " ";
    p.f = clearFlags();
    p.printArg(arg, "v");
    prevString = isString;
  });
  return p.buf;
}

/** fmt.Sprintln: spaces between all operands and a final newline. */
export function sprintln(args: readonly unknown[]): string {
  const p = new Printer();
  args.forEach((arg, i) => {
    if (i > 0) p.buf += " ";
    p.f = clearFlags();
    p.printArg(arg, "v");
  });
  return p.buf + "\n";
}

/** %v of one value, as Go prints it. */
export function formatValue(v: unknown): string {
  return sprint([v]);
}

function parseNum(s: string, start: number): [number, boolean, number] {
  let i = start;
  let n = 0;
  let present = false;
  while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) {
    // Go gives up on absurd widths; so do we.
    if (n > 1e6) return [0, false, s.length];
    n = n * 10 + (s.charCodeAt(i) - 48);
    present = true;
    i++;
  }
  return [n, present, i];
}

/** fmt.Sprintf with Go's verbs, flags, width, precision and error annotations. */
export function sprintf(format: string, a: readonly unknown[]): string {
  const p = new Printer();
  const end = format.length;
  let argNum = 0;
  let afterIndex = false;
  let reordered = false;
  let goodArgNum = true;

  // "[n]" argument indexes: 1-based in the format, 0-based here.
  const argNumber = (i: number): number => {
    if (i >= end || format[i] !== "[") return i;
    reordered = true;
    const close = format.indexOf("]", i + 1);
    if (close < 0) {
      goodArgNum = false;
      return i;
    }
    const [n, ok, j] = parseNum(format, i + 1);
    if (!ok || j !== close || n - 1 < 0 || n - 1 >= a.length) {
      goodArgNum = false;
      afterIndex = true;
      return close + 1;
    }
    argNum = n - 1;
    afterIndex = true;
    return close + 1;
  };

  const intFromArg = (): [number, boolean] => {
    if (argNum >= a.length) return [0, false];
    const arg = a[argNum++];
    if (goKind(arg) !== "int") return [0, false];
    const n = goNumber(arg);
    if (n > 1e6 || n < -1e6) return [0, false];
    return [n, true];
  };

  let i = 0;
  formatLoop: while (i < end) {
    goodArgNum = true;
    const lasti = i;
    while (i < end && format[i] !== "%") i++;
    if (i > lasti) p.buf += format.slice(lasti, i);
    if (i >= end) break;
    i++; // skip %
    p.f = clearFlags();
    simple: for (; i < end; i++) {
      const c = format[i] ?? "";
      switch (c) {
        case "#":
          p.f.sharp = true;
          break;
        case "0":
          p.f.zero = !p.f.minus;
          break;
        case "+":
          p.f.plus = true;
          break;
        case "-":
          p.f.minus = true;
          p.f.zero = false;
          break;
        case " ":
          p.f.space = true;
          break;
        default:
          if (c >= "a" && c <= "z" && argNum < a.length) {
            if (c === "v") {
              p.f.sharpV = p.f.sharp;
              p.f.sharp = false;
              p.f.plusV = p.f.plus;
              p.f.plus = false;
            }
            p.printArg(a[argNum], c);
            argNum++;
            i++;
            continue formatLoop;
          }
          break simple;
      }
    }
    afterIndex = false;
    i = argNumber(i);
    if (i < end && format[i] === "*") {
      i++;
      [p.f.wid, p.f.widPresent] = intFromArg();
      if (!p.f.widPresent) p.buf += "%!(BADWIDTH)";
      if (p.f.wid < 0) {
        p.f.wid = -p.f.wid;
        p.f.minus = true;
        p.f.zero = false;
      }
      afterIndex = false;
    } else {
      [p.f.wid, p.f.widPresent, i] = parseNum(format, i);
      if (afterIndex && p.f.widPresent) goodArgNum = false;
    }
    if (i + 1 < end && format[i] === ".") {
      i++;
      if (afterIndex) goodArgNum = false;
      afterIndex = false;
      i = argNumber(i);
      if (i < end && format[i] === "*") {
        i++;
        [p.f.prec, p.f.precPresent] = intFromArg();
        if (p.f.prec < 0) {
          p.f.prec = 0;
          p.f.precPresent = false;
        }
        if (!p.f.precPresent) p.buf += "%!(BADPREC)";
        afterIndex = false;
      } else {
        [p.f.prec, p.f.precPresent, i] = parseNum(format, i);
        if (!p.f.precPresent) {
          p.f.prec = 0;
          p.f.precPresent = true;
        }
      }
    }
    if (!afterIndex) i = argNumber(i);
    if (i >= end) {
      p.buf += "%!(NOVERB)";
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i) ?? 0);
    i += verb.length;
    if (verb === "%") {
      p.buf += "%";
    } else if (!goodArgNum) {
      p.buf += "%!" + verb + "(BADINDEX)";
    } else if (argNum >= a.length) {
      p.buf += "%!" + verb + "(MISSING)";
    } else {
      if (verb === "v") {
        p.f.sharpV = p.f.sharp;
        p.f.sharp = false;
        p.f.plusV = p.f.plus;
        p.f.plus = false;
      }
      p.printArg(a[argNum], verb);
      argNum++;
    }
  }
  if (!reordered && argNum < a.length) {
    p.f = clearFlags();
    p.buf += "%!(EXTRA ";
    a.slice(argNum).forEach((arg, k) => {
      if (k > 0) p.buf += ", ";
      if (arg === null || arg === undefined) p.buf += "<nil>";
      else {
        p.buf += goTypeName(arg) + "=";
        p.printArg(arg, "v");
      }
    });
    p.buf += ")";
  }
  return p.buf;
}
