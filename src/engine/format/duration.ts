// Time spans and instants as Docker 20.10 prints and parses them:
// - go-units v0.4.0 HumanDuration and the strings built on it (container status, "… ago");
// - Go's time.Duration.String and time.ParseDuration (Go 1.19, which Docker 20.10.24 is built with);
// - api/types/time GetTimestamp/ParseTimestamps, the --since/--until parser of `docker logs`
//   and `docker events`, with the subset of Go's time.Parse its layouts need.
// Error messages are Go's, so callers can print them as the CLI does.

import type { ContainerState } from "../api-types";

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * go-units HumanDuration ("Less than a second", "About a minute", "3 hours", "2 weeks"…).
 * Takes milliseconds (Go takes nanoseconds; every threshold is whole seconds or coarser).
 */
export function humanDuration(ms: number): string {
  // Go converts with int(), which truncates toward zero.
  const seconds = Math.trunc(ms / SECOND_MS);
  if (seconds < 1) return "Less than a second";
  if (seconds === 1) return "1 second";
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.trunc(ms / MINUTE_MS);
  if (minutes === 1) return "About a minute";
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.trunc(ms / HOUR_MS + 0.5);
  if (hours === 1) return "About an hour";
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`;
  return `${Math.trunc(Math.trunc(Math.trunc(ms / HOUR_MS) / 24) / 365)} years`;
}

/**
 * docker/cli's CreatedSince / RunningFor (`docker ps`, `docker images`, `docker history`):
 * `units.HumanDuration(time.Now().UTC().Sub(time.Unix(created, 0))) + " ago"`.
 */
export function createdSince(createdUnixSeconds: number, nowMs: number): string {
  return `${humanDuration(nowMs - createdUnixSeconds * 1000)} ago`;
}

/** The fields of a container's state that `State.String()` reads. */
export interface StatusState
  extends Pick<ContainerState, "Running" | "Paused" | "Restarting" | "Dead" | "ExitCode" | "StartedAt" | "FinishedAt"> {
  /** Status "removing" stands in for RemovalInProgress, which is not persisted. */
  readonly Status?: ContainerState["Status"];
  readonly RemovalInProgress?: boolean;
  /** Present only when the container has a healthcheck. */
  readonly Health?: { readonly Status: string } | null;
}

/** Milliseconds since the epoch of an RFC 3339 timestamp, or null for Go's zero time (or ""). */
function instantMs(value: string): number | null {
  if (value === "") return null;
  const t = parseGoTime(RFC3339_NANO, value, 0);
  if (t.sec === GO_ZERO_UNIX && t.nsec === 0) return null;
  return t.sec * 1000 + Math.floor(t.nsec / 1e6);
}

/** container.Health.String(): an empty status counts as unhealthy (monitor not yet set up). */
function healthString(status: string): string {
  const s = status === "" ? "unhealthy" : status;
  return s === "starting" ? "health: starting" : s;
}

/**
 * moby container/state.go State.String(), the STATUS column of `docker ps`
 * ("Up 5 seconds", "Up 2 minutes (Paused)", "Exited (0) 3 minutes ago", "Created"…).
 */
export function containerStatus(state: StatusState, nowMs: number): string {
  const started = instantMs(state.StartedAt);
  const finished = instantMs(state.FinishedAt);
  // Go subtracts the zero time here too; a running container always has StartedAt set.
  const since = (t: number | null) => humanDuration(nowMs - (t ?? GO_ZERO_UNIX * 1000));
  if (state.Running) {
    if (state.Paused) return `Up ${since(started)} (Paused)`;
    if (state.Restarting) return `Restarting (${state.ExitCode}) ${since(finished)} ago`;
    if (state.Health) return `Up ${since(started)} (${healthString(state.Health.Status)})`;
    return `Up ${since(started)}`;
  }
  if (state.RemovalInProgress || state.Status === "removing") return "Removal In Progress";
  if (state.Dead) return "Dead";
  if (started === null) return "Created";
  if (finished === null) return "";
  return `Exited (${state.ExitCode}) ${since(finished)} ago`;
}

// ---------------------------------------------------------------------------
// time.Duration

const NS_SECOND = 1_000_000_000n;
const MAX_INT64 = (1n << 63n) - 1n;

/** fmtFrac: the fraction of v/10**prec without trailing zeros (and without "." when zero). */
function fmtFrac(v: bigint, prec: number): [string, bigint] {
  let out = "";
  let print = false;
  for (let i = 0; i < prec; i++) {
    const digit = v % 10n;
    print = print || digit !== 0n;
    if (print) out = String(digit) + out;
    v /= 10n;
  }
  return [print ? `.${out}` : "", v];
}

/** Go's time.Duration.String() of a nanosecond count: "1h2m3.5s", "1.5s", "250ms", "0s". */
export function goDuration(ns: number | bigint): string {
  let u = typeof ns === "bigint" ? ns : BigInt(Math.trunc(ns));
  const neg = u < 0n;
  if (neg) u = -u;
  let out: string;
  if (u < NS_SECOND) {
    // Below a second Go switches to the largest unit that keeps the integer part non-zero.
    if (u === 0n) return "0s";
    let prec: number;
    let unit: string;
    if (u < 1000n) [prec, unit] = [0, "ns"];
    else if (u < 1_000_000n) [prec, unit] = [3, "µs"];
    else [prec, unit] = [6, "ms"];
    const [frac, whole] = fmtFrac(u, prec);
    out = `${whole}${frac}${unit}`;
  } else {
    const [frac, secs] = fmtFrac(u, 9);
    out = `${secs % 60n}${frac}s`;
    const mins = secs / 60n;
    if (mins > 0n) {
      out = `${mins % 60n}m${out}`;
      // Stops at hours because days can be different lengths.
      const hours = mins / 60n;
      if (hours > 0n) out = `${hours}h${out}`;
    }
  }
  return neg ? `-${out}` : out;
}

/** The time package's quote(): Go-quoted, with non-ASCII and control bytes as \xNN. */
function timeQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x80 || c < 0x20) {
      for (const b of new TextEncoder().encode(ch)) out += `\\x${b.toString(16).padStart(2, "0")}`;
    } else {
      if (ch === '"' || ch === "\\") out += "\\";
      out += ch;
    }
  }
  return `${out}"`;
}

const UNIT_NS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1000n,
  "µs": 1000n, // U+00B5 micro sign
  "μs": 1000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: NS_SECOND,
  m: 60n * NS_SECOND,
  h: 3600n * NS_SECOND,
};

const isDigitCode = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x39;

/**
 * Go's time.ParseDuration: "300ms", "-1.5h", "2h45m" → nanoseconds.
 * Throws Error("time: invalid duration \"x\"") and friends, worded as Go words them.
 */
export function parseGoDuration(orig: string): bigint {
  const invalid = () => new Error(`time: invalid duration ${timeQuote(orig)}`);
  let s = orig;
  let neg = false;
  if (s !== "" && (s[0] === "-" || s[0] === "+")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return 0n;
  if (s === "") throw invalid();
  let d = 0n;
  while (s !== "") {
    if (!(s[0] === "." || isDigitCode(s.charCodeAt(0)))) throw invalid();
    // leadingInt: [0-9]*, overflow past 1<<63 is an error.
    let i = 0;
    let v = 0n;
    for (; i < s.length && isDigitCode(s.charCodeAt(i)); i++) {
      if (v > (1n << 63n) / 10n) throw invalid();
      v = v * 10n + BigInt(s.charCodeAt(i) - 0x30);
      if (v > 1n << 63n) throw invalid();
    }
    const pre = i > 0;
    s = s.slice(i);
    // leadingFraction: stops accumulating precision on overflow instead of failing.
    let f = 0n;
    let scale = 1;
    let post = false;
    if (s !== "" && s[0] === ".") {
      s = s.slice(1);
      let j = 0;
      let overflow = false;
      for (; j < s.length && isDigitCode(s.charCodeAt(j)); j++) {
        if (overflow) continue;
        if (f > MAX_INT64 / 10n) {
          overflow = true;
          continue;
        }
        const y = f * 10n + BigInt(s.charCodeAt(j) - 0x30);
        if (y > 1n << 63n) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      post = j > 0;
      s = s.slice(j);
    }
    if (!pre && !post) throw invalid(); // no digits, e.g. ".s"
    let k = 0;
    for (; k < s.length; k++) {
      if (s[k] === "." || isDigitCode(s.charCodeAt(k))) break;
    }
    if (k === 0) throw new Error(`time: missing unit in duration ${timeQuote(orig)}`);
    const u = s.slice(0, k);
    s = s.slice(k);
    const unit = UNIT_NS[u];
    if (unit === undefined) throw new Error(`time: unknown unit ${timeQuote(u)} in duration ${timeQuote(orig)}`);
    if (v > (1n << 63n) / unit) throw invalid();
    v *= unit;
    if (f > 0n) {
      // Go does this part in float64 (nanosecond-accurate for fractions of an hour).
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > 1n << 63n) throw invalid();
    }
    d += v;
    if (d > 1n << 63n) throw invalid();
  }
  if (neg) return -d;
  if (d > MAX_INT64) throw invalid();
  return d;
}

// ---------------------------------------------------------------------------
// A port of Go 1.19 time.Parse, limited to the layout elements GetTimestamp's layouts use.

const RFC3339 = "2006-01-02T15:04:05Z07:00";
const RFC3339_NANO = "2006-01-02T15:04:05.999999999Z07:00";
/** Unix seconds of Go's zero time, 0001-01-01T00:00:00Z. */
const GO_ZERO_UNIX = -62135596800;

type Std = "2006" | "01" | "02" | "15" | "04" | "05" | ".999999999" | "Z07:00";
interface Chunk {
  readonly prefix: string;
  readonly std: Std | null;
}

/** nextStdChunk applied repeatedly; only correct for layouts built from the elements in Std. */
function chunks(layout: string): Chunk[] {
  const out: Chunk[] = [];
  const re = /2006|01|02|15|04|05|\.999999999|Z07:00/g;
  let last = 0;
  for (let m = re.exec(layout); m; m = re.exec(layout)) {
    out.push({ prefix: layout.slice(last, m.index), std: m[0] as Std });
    last = m.index + m[0].length;
  }
  out.push({ prefix: layout.slice(last), std: null });
  return out;
}

/** time.ParseError's text. */
function parseError(layout: string, value: string, layoutElem: string, valueElem: string, message: string): Error {
  if (message === "") {
    return new Error(
      `parsing time ${timeQuote(value)} as ${timeQuote(layout)}: cannot parse ${timeQuote(valueElem)} as ${timeQuote(layoutElem)}`,
    );
  }
  return new Error(`parsing time ${timeQuote(value)}${message}`);
}

/** Go's internal atoi: optional sign then [0-9]* (empty is 0); null on junk or int64 overflow. */
function goAtoi(s: string): number | null {
  let neg = false;
  if (s !== "" && (s[0] === "-" || s[0] === "+")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  let x = 0n;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isDigitCode(c)) return null;
    if (x > MAX_INT64 / 10n) return null;
    x = x * 10n + BigInt(c - 0x30);
    if (x > MAX_INT64) return null;
  }
  return Number(neg ? -x : x);
}

/** getnum: one or two digits (fixed: exactly two). */
function getnum(s: string, fixed: boolean): [number, string] | null {
  if (!isDigitCode(s.charCodeAt(0))) return null;
  if (!isDigitCode(s.charCodeAt(1))) {
    if (fixed) return null;
    return [s.charCodeAt(0) - 0x30, s.slice(1)];
  }
  return [(s.charCodeAt(0) - 0x30) * 10 + (s.charCodeAt(1) - 0x30), s.slice(2)];
}

/** skip: removes a literal prefix, treating runs of spaces as equivalent. */
function skip(value: string, prefix: string): [string, boolean] {
  while (prefix.length > 0) {
    if (prefix[0] === " ") {
      if (value.length > 0 && value[0] !== " ") return [value, false];
      prefix = prefix.replace(/^ +/, "");
      value = value.replace(/^ +/, "");
      continue;
    }
    if (value.length === 0 || value[0] !== prefix[0]) return [value, false];
    prefix = prefix.slice(1);
    value = value.slice(1);
  }
  return [value, true];
}

const commaOrPeriod = (c: string | undefined) => c === "." || c === ",";

/** parseNanoseconds as of Go 1.19: more than nine digits is "out of range" (1.20 truncates). */
function parseNanoseconds(value: string, nbytes: number): { ns: number; range: string; bad: boolean } {
  if (!commaOrPeriod(value[0])) return { ns: 0, range: "", bad: true };
  const ns = goAtoi(value.slice(1, nbytes));
  if (ns === null) return { ns: 0, range: "", bad: true };
  if (ns < 0 || ns >= 1e9) return { ns, range: "fractional second", bad: false };
  return { ns: ns * 10 ** Math.max(0, 10 - nbytes), range: "", bad: false };
}

const isLeap = (y: number) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
const DAYS_IN = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const daysIn = (month: number, year: number) => (month === 2 && isLeap(year) ? 29 : DAYS_IN[month - 1]!);

/** Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

interface GoTime {
  /** Unix seconds. */
  readonly sec: number;
  /** Nanoseconds within the second, 0 ≤ nsec < 1e9. */
  readonly nsec: number;
}

/**
 * time.Parse (defaultOffset 0) / time.ParseInLocation (a fixed zone of defaultOffset seconds
 * east of UTC): the offset applies only when the value carries no zone of its own.
 */
function parseGoTime(layout: string, value: string, defaultOffset: number): GoTime {
  const avalue = value;
  let year = 0;
  let month = -1;
  let day = -1;
  let hour = 0;
  let min = 0;
  let sec = 0;
  let nsec = 0;
  let utc = false;
  let zoneOffset: number | null = null;
  const list = chunks(layout);
  for (let idx = 0; ; idx++) {
    const { prefix, std } = list[idx]!;
    let ok: boolean;
    [value, ok] = skip(value, prefix);
    if (!ok) throw parseError(layout, avalue, prefix, value, "");
    if (std === null) {
      if (value.length !== 0) throw parseError(layout, avalue, "", value, `: extra text: ${timeQuote(value)}`);
      break;
    }
    const hold = value;
    let bad = false;
    let range = "";
    switch (std) {
      case "2006": {
        if (value.length < 4 || !isDigitCode(value.charCodeAt(0))) {
          bad = true;
          break;
        }
        const y = goAtoi(value.slice(0, 4));
        value = value.slice(4);
        if (y === null) bad = true;
        else year = y;
        break;
      }
      case "01": {
        const r = getnum(value, true);
        if (!r) {
          bad = true;
          break;
        }
        [month, value] = r;
        if (month <= 0 || month > 12) range = "month";
        break;
      }
      case "02": {
        const r = getnum(value, true);
        if (!r) bad = true;
        else [day, value] = r;
        break;
      }
      case "15": {
        const r = getnum(value, false);
        if (!r) bad = true;
        else [hour, value] = r;
        if (hour < 0 || hour >= 24) range = "hour";
        break;
      }
      case "04": {
        const r = getnum(value, true);
        if (!r) bad = true;
        else [min, value] = r;
        if (min < 0 || min >= 60) range = "minute";
        break;
      }
      case "05": {
        const r = getnum(value, true);
        if (!r) {
          bad = true;
          break;
        }
        [sec, value] = r;
        if (sec < 0 || sec >= 60) {
          range = "second";
          break;
        }
        // A fraction in the input that the layout does not mention is accepted here.
        if (value.length >= 2 && commaOrPeriod(value[0]) && isDigitCode(value.charCodeAt(1))) {
          if (list[idx + 1]?.std === ".999999999") break;
          let n = 2;
          while (n < value.length && isDigitCode(value.charCodeAt(n))) n++;
          const p = parseNanoseconds(value, n);
          [nsec, range, bad] = [p.ns, p.range, p.bad];
          value = value.slice(n);
        }
        break;
      }
      case ".999999999": {
        if (value.length < 2 || !commaOrPeriod(value[0]) || !isDigitCode(value.charCodeAt(1))) break; // omitted
        let i = 0;
        while (i + 1 < value.length && isDigitCode(value.charCodeAt(i + 1))) i++;
        const p = parseNanoseconds(value, 1 + i);
        [nsec, range, bad] = [p.ns, p.range, p.bad];
        value = value.slice(1 + i);
        break;
      }
      case "Z07:00": {
        if (value.length >= 1 && value[0] === "Z") {
          value = value.slice(1);
          utc = true;
          break;
        }
        if (value.length < 6 || value[3] !== ":") {
          bad = true;
          break;
        }
        const sign = value[0];
        const hr = goAtoi(value.slice(1, 3));
        const mm = goAtoi(value.slice(4, 6));
        value = value.slice(6);
        if (hr === null || mm === null) {
          bad = true;
          break;
        }
        zoneOffset = (hr * 60 + mm) * 60;
        if (sign === "-") zoneOffset = -zoneOffset;
        else if (sign !== "+") bad = true;
        break;
      }
    }
    if (range !== "") throw parseError(layout, avalue, std, value, `: ${range} out of range`);
    if (bad) throw parseError(layout, avalue, std, hold, "");
  }
  if (month < 0) month = 1;
  if (day < 0) day = 1;
  if (day < 1 || day > daysIn(month, year)) throw parseError(layout, avalue, "", value, ": day out of range");
  const offset = utc ? 0 : (zoneOffset ?? defaultOffset);
  return { sec: daysFromCivil(year, month, day) * 86400 + hour * 3600 + min * 60 + sec - offset, nsec };
}

/** Milliseconds since the epoch of an RFC 3339 (optionally fractional) timestamp; throws Go's ParseError. */
export function parseRFC3339(value: string): number {
  const t = parseGoTime(RFC3339_NANO, value, 0);
  return t.sec * 1000 + t.nsec / 1e6;
}

// ---------------------------------------------------------------------------
// api/types/time

/** strconv.Quote for the %q verb (ASCII subset; other printable characters pass through). */
function strconvQuote(s: string): string {
  const esc: Record<string, string> = { "\x07": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v" };
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === "\\") out += `\\${ch}`;
    else if (esc[ch] !== undefined) out += esc[ch];
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

/** strconv.ParseInt(s, 10, 64), with its error text. */
function parseInt64(s: string): number {
  const fail = (why: string) => new Error(`strconv.ParseInt: parsing ${strconvQuote(s)}: ${why}`);
  const m = /^([+-]?)([0-9]+)$/.exec(s);
  if (!m) throw fail("invalid syntax");
  const v = BigInt(m[1] === "-" ? `-${m[2]}` : m[2]!);
  if (v > MAX_INT64 || v < -(1n << 63n)) throw fail("value out of range");
  return Number(v);
}

/** parseTimestamp: "seconds[.fraction]", the fraction scaled to nanoseconds in float64 as Go does. */
function parseTimestamp(value: string): GoTime {
  const dot = value.indexOf(".");
  const secPart = dot < 0 ? value : value.slice(0, dot);
  const sec = parseInt64(secPart);
  if (dot < 0) return { sec, nsec: 0 };
  const frac = value.slice(dot + 1);
  const n = parseInt64(frac);
  return { sec, nsec: Math.trunc(n * Math.pow(10, 9 - frac.length)) };
}

/**
 * ParseTimestamps: the daemon's reading of a since/until query value ("%d.%09d"); an empty
 * value gives `def` seconds. Throws strconv's error for malformed input.
 */
export function parseTimestamps(value: string, def: number): { seconds: number; nanoseconds: number } {
  if (value === "") return { seconds: def, nanoseconds: 0 };
  const t = parseTimestamp(value);
  return { seconds: t.sec, nanoseconds: t.nsec };
}

/** Which layout GetTimestamp picks for a value, and whether it parses in the local zone. */
function timestampLayout(value: string): { layout: string; inLocation: boolean } {
  // A Z, z, + or three dashes means the value carries its own zone.
  const inLocation = !(/[zZ+]/.test(value) || value.split("-").length - 1 === 3);
  if (value.includes(".")) {
    return { layout: inLocation ? "2006-01-02T15:04:05.999999999" : RFC3339_NANO, inLocation };
  }
  if (value.includes("T")) {
    let tcolons = value.split(":").length - 1;
    // A ±hh:mm offset brings a colon of its own.
    if (!inLocation && !/[zZ]/.test(value) && tcolons > 0) tcolons--;
    if (inLocation) {
      return { layout: tcolons === 0 ? "2006-01-02T15" : tcolons === 1 ? "2006-01-02T15:04" : "2006-01-02T15:04:05", inLocation };
    }
    return { layout: tcolons === 0 ? "2006-01-02T15Z07:00" : tcolons === 1 ? "2006-01-02T15:04Z07:00" : RFC3339, inLocation };
  }
  return { layout: inLocation ? "2006-01-02" : "2006-01-02Z07:00", inLocation };
}

/**
 * api/types/time GetTimestamp, which the CLI applies to --since/--until before calling the
 * API: a Go duration counts back from now ("10m" → whole Unix seconds), an RFC 3339-like
 * time becomes "%d.%09d", a Unix timestamp passes through unchanged. Zone-less times are
 * read in the client's zone, `zoneOffsetSeconds` east of UTC.
 * Throws Go's error; `docker logs` prefixes it with `invalid value for "since": ` (or "until").
 */
export function getTimestamp(value: string, nowMs: number, zoneOffsetSeconds = 0): string {
  if (value !== "0") {
    let d: bigint | null = null;
    try {
      d = parseGoDuration(value);
    } catch {
      // Not a duration: try the time forms below.
    }
    if (d !== null) {
      const ns = BigInt(Math.floor(nowMs)) * 1_000_000n - d;
      // time.Unix() floors toward the past.
      let s = ns / NS_SECOND;
      if (ns % NS_SECOND < 0n) s -= 1n;
      return String(s);
    }
  }
  const { layout, inLocation } = timestampLayout(value);
  let t: GoTime;
  try {
    t = parseGoTime(layout, value, inLocation ? zoneOffsetSeconds : 0);
  } catch (err) {
    // With a dash it was meant as a date: Go's parse error is the better message.
    if (value.includes("-")) throw err;
    try {
      parseTimestamp(value);
    } catch {
      throw new Error(`failed to parse value as time or duration: ${strconvQuote(value)}`);
    }
    return value;
  }
  return `${t.sec}.${String(t.nsec).padStart(9, "0")}`;
}

/**
 * A --since/--until value as milliseconds since the epoch (fractional below a millisecond):
 * GetTimestamp on the client, then ParseTimestamps as the daemon reads it.
 */
export function parseSinceUntil(value: string, nowMs: number, zoneOffsetSeconds = 0): number {
  const { seconds, nanoseconds } = parseTimestamps(getTimestamp(value, nowMs, zoneOffsetSeconds), 0);
  return seconds * 1000 + nanoseconds / 1e6;
}
