// Docker's own flag value types (docker/cli opts: MemBytes, NanoCPUs, FilterOpt,
// …) and the validators docker/cli 20.10.24 attaches to list flags: each
// validator throws with the cause Docker prints after "invalid argument … flag: ",
// or returns a normalized value. Texts checked against /usr/bin/docker.
import { parseNormalizedNamed } from "../images/reference";
import { readCsvRecord } from "../util/csv";
import { goQuote, parseGoBool, parseGoFloat, parseGoRational } from "../util/go-values";
import { parseGoDuration } from "../format/duration";
import { ULIMITS } from "../containers/ulimits";

/**
 * RAMInBytes as vendored in Docker 20.10.24 (the older, regexp-based go-units
 * parseSize): anything outside `^(\d+(\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$` is
 * "invalid size: '<value>'" (`docker run -m 1x`, `-m .5`, `-m 1e3`); a number
 * part such as "1.5.5" fails strconv.ParseFloat. Newer releases word these
 * differently ("invalid suffix: 'x'").
 */
const SIZE_20_10 = /^(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/;
const UNITS_20_10: Readonly<Record<string, number>> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

export function ramInBytes20(value: string): number {
  const m = SIZE_20_10.exec(value);
  if (m === null) throw new Error(`invalid size: '${value}'`);
  const size = parseGoFloat(m[1] ?? "");
  const mul = UNITS_20_10[(m[2] ?? "").toLowerCase()] ?? 1;
  return Math.trunc(size * mul) + 0;
}

/** opts.MemSwapBytes' value: "-1" (unlimited swap), else RAMInBytes; unset is 0. */
export const memSwapInBytes = (value: string): number => (value === "-1" ? -1 : value ? ramInBytes20(value) : 0);

/** Validators for Docker's own flag value types, with Docker's error texts. */
export const validators = {
  /** opts.MemBytes (--memory, --shm-size, …): go-units RAMInBytes. */
  bytes(value: string): void {
    ramInBytes20(value);
  },
  /** opts.MemSwapBytes (--memory-swap): "-1" means unlimited. */
  memSwapBytes(value: string): void {
    memSwapInBytes(value);
  },
  /** pflag duration (--health-interval, …). */
  duration(value: string): void {
    parseGoDuration(value);
  },
  /** opts.NanoCPUs (--cpus): a rational number with at most nanosecond precision. */
  decimal(value: string): void {
    const rat = parseGoRational(value);
    if (rat === undefined) throw new Error(`failed to parse ${value} as a rational number`);
    if ((rat.num * 1000000000n) % rat.den !== 0n) throw new Error("value is too precise");
  },
  /** opts.FilterOpt (-f, --filter): needs "name=value"; an empty value is ignored. */
  filter(value: string): void {
    if (value !== "" && !value.includes("=")) throw new Error("bad format of filter (expected name=value)");
  },
  /** run -a/--attach. */
  attach(value: string): string {
    const lower = value.toLowerCase();
    if (lower === "stdin" || lower === "stdout" || lower === "stderr") return lower;
    throw new Error("valid streams are STDIN, STDOUT and STDERR");
  },
  /**
   * opts.ValidateEnv (run -e, build --build-arg): the variable name must not
   * be empty. Docker also fills a bare NAME from the client's environment,
   * which Berth's client does not have.
   */
  env(value: string): void {
    const eq = value.indexOf("=");
    const key = eq < 0 ? value : value.slice(0, eq);
    if (key === "") throw new Error(`invalid environment variable: ${value}`);
  },
  /** opts.ValidateIPAddress (--dns): returns Go's canonical form. */
  ipAddress(value: string): string {
    const ip = parseGoIP(value.trim());
    if (ip === undefined) throw new Error(`${value} is not an ip address`);
    return ip;
  },
  /** opts.ValidateDNSSearch (--dns-search): "." or a domain name. */
  dnsSearch(value: string): string {
    const v = value.replace(/^ +| +$/gu, "");
    if (v === ".") return v;
    const m = DOMAIN.exec(v);
    if (!/[a-zA-Z]/u.test(v) || m === null || (m[1] ?? "").length >= 255) throw new Error(`${v} is not a valid domain`);
    return m[1] ?? "";
  },
  /** --device-cgroup-rule. */
  deviceCgroupRule(value: string): void {
    if (!/^[acb] ([0-9]+|\*):([0-9]+|\*) [rwm]{1,3}$/u.test(value)) throw new Error(`invalid device cgroup format '${value}'`);
  },
  /** opts.ValidateThrottleBpsDevice (--device-read-bps, --device-write-bps). */
  throttleBpsDevice(value: string): void {
    const rate = devicePathAnd(value);
    let bytes = -1;
    try {
      bytes = ramInBytes20(rate);
    } catch {
      // Docker reports every bad rate with the one message below.
    }
    if (bytes < 0) {
      throw new Error(
        `invalid rate for device: ${value}. The correct format is <device-path>:<number>[<unit>]. Number must be a positive integer. Unit is optional and can be kb, mb, or gb`,
      );
    }
  },
  /** opts.ValidateThrottleIOpsDevice (--device-read-iops, --device-write-iops). */
  throttleIOpsDevice(value: string): void {
    if (parseUint10(devicePathAnd(value), 64) === undefined) {
      throw new Error(`invalid rate for device: ${value}. The correct format is <device-path>:<number>. Number must be a positive integer`);
    }
  },
  /** opts.ValidateWeightDevice (--blkio-weight-device): 0 or 10..1000. */
  weightDevice(value: string): void {
    const weight = parseUint10(devicePathAnd(value), 16);
    if (weight === undefined || (weight > 0 && (weight < 10 || weight > 1000))) throw new Error(`invalid weight for device: ${value}`);
  },
  /** opts.ValidateExtraHost (--add-host): host:ip, or host:host-gateway. */
  extraHost(value: string): void {
    const colon = value.indexOf(":");
    if (colon <= 0) throw new Error(`bad format for add-host: ${goQuote(value)}`);
    const ip = value.slice(colon + 1);
    if (ip !== "host-gateway" && parseGoIP(ip.trim()) === undefined) throw new Error(`invalid IP address in add-host: ${goQuote(ip)}`);
  },
  /** opts.ValidateLabel (--label): a non-empty key without whitespace. */
  label(value: string): void {
    const eq = value.indexOf("=");
    const key = (eq < 0 ? value : value.slice(0, eq)).replace(/^[ \t]+/u, "");
    if (key === "") throw new Error(`invalid label '${value}': empty name`);
    if (/[ \t]/u.test(key)) throw new Error(`label '${key}' contains whitespaces`);
  },
  /** opts.ValidateLink (--link): name or name:alias. */
  link(value: string): void {
    if (value === "") throw new Error("empty string specified for links");
    if (value.split(":").length > 2) throw new Error(`bad format for links: ${value}`);
  },
  /** opts.ValidateSysctl (--sysctl): namespaced kernel parameters only. */
  sysctl(value: string): void {
    const parts = value.split("=");
    const key = parts[0] ?? "";
    if (parts.length < 2 || !(SYSCTLS.has(key) || key.startsWith("net.") || key.startsWith("fs.mqueue."))) {
      throw new Error(`sysctl '${value}' is not whitelisted`);
    }
  },
  /** go-units ParseUlimit (--ulimit): name=soft[:hard]. */
  ulimit(value: string): void {
    parseUlimit(value);
  },
  /** opts.GpuOpts (--gpus): "all", a count, or CSV key=value fields. */
  gpus(value: string): void {
    const seen = new Set<string>();
    for (const field of csvFields(value)) {
      const eq = field.indexOf("=");
      const key = eq < 0 ? field : field.slice(0, eq);
      if (seen.has(key)) throw new Error(`gpu request key '${key}' can be specified only once`);
      seen.add(key);
      if (eq < 0) {
        seen.add("count");
        gpuCount(key);
        continue;
      }
      const v = field.slice(eq + 1);
      switch (key) {
        case "driver":
        case "device":
        case "capabilities":
          break;
        case "count":
          gpuCount(v);
          break;
        case "options":
          try {
            csvFields(v);
          } catch (e) {
            throw new Error(`failed to read gpu options: ${(e as Error).message}`);
          }
          break;
        default:
          throw new Error(`unexpected key '${key}' in '${field}'`);
      }
    }
  },
  /** opts.MountOpt (--mount): CSV key=value fields describing one mount. */
  mount(value: string): void {
    let type = "volume";
    let target = "";
    const used = { volume: false, bind: false, tmpfs: false };
    for (const field of csvFields(value)) {
      const eq = field.indexOf("=");
      const key = (eq < 0 ? field : field.slice(0, eq)).toLowerCase();
      if (eq < 0) {
        if (key === "readonly" || key === "ro") continue;
        if (key === "volume-nocopy") {
          used.volume = true;
          continue;
        }
        if (key === "bind-nonrecursive") {
          used.bind = true;
          continue;
        }
        throw new Error(`invalid field '${field}' must be a key=value pair`);
      }
      const v = field.slice(eq + 1);
      const bad = (): never => {
        throw new Error(`invalid value for ${key}: ${v}`);
      };
      switch (key) {
        case "type":
          type = v.toLowerCase();
          break;
        case "source":
        case "src":
        case "consistency":
          break;
        case "target":
        case "dst":
        case "destination":
          target = v;
          break;
        case "readonly":
        case "ro":
          if (!isGoBool(v)) bad();
          break;
        case "bind-propagation":
          used.bind = true;
          break;
        case "bind-nonrecursive":
          used.bind = true;
          if (!isGoBool(v)) bad();
          break;
        case "volume-nocopy":
          used.volume = true;
          if (!isGoBool(v)) throw new Error(`invalid value for volume-nocopy: ${v}`);
          break;
        case "volume-label":
        case "volume-driver":
        case "volume-opt":
          used.volume = true;
          break;
        case "tmpfs-size":
          used.tmpfs = true;
          try {
            ramInBytes20(v);
          } catch {
            bad();
          }
          break;
        case "tmpfs-mode":
          used.tmpfs = true;
          // strconv.ParseUint(v, 8, 32)
          if (!/^[0-7]+$/u.test(v) || parseInt(v, 8) > 0xffffffff) bad();
          break;
        default:
          throw new Error(`unexpected key '${key}' in '${field}'`);
      }
    }
    if (type === "") throw new Error("type is required");
    if (target === "") throw new Error("target is required");
    if (used.volume && type !== "volume") throw new Error(`cannot mix 'volume-*' options with mount type '${type}'`);
    if (used.bind && type !== "bind") throw new Error(`cannot mix 'bind-*' options with mount type '${type}'`);
    if (used.tmpfs && type !== "tmpfs") throw new Error(`cannot mix 'tmpfs-*' options with mount type '${type}'`);
  },
  /** opts.NetworkOpt (--network): a name, or CSV name=…,alias=…,ip=…,ip6=…,driver-opt=…. */
  network(value: string): void {
    // Docker's test for the long syntax is this unanchored pattern.
    if (!/\w+=\w+/u.test(value)) return;
    let target = "";
    for (const field of csvFields(value)) {
      const eq = field.indexOf("=");
      if (eq < 0) throw new Error(`invalid field ${field}`);
      const key = field.slice(0, eq).toLowerCase().trim();
      const v = field.slice(eq + 1).toLowerCase().trim();
      switch (key) {
        case "name":
          target = v;
          break;
        case "alias":
        case "ip":
        case "ip6":
          break;
        case "driver-opt":
          if (!v.includes("=")) throw new Error("invalid key value pair format in driver options");
          break;
        default:
          throw new Error(`invalid field key ${key}`);
      }
    }
    if (target === "") throw new Error("network name/id is not specified");
  },
  /**
   * build -t/--tag: reference.ParseNormalizedNamed as vendored in 20.10, whose
   * lowercase check differs from the newer one in images/reference: only a
   * first component with "." or ":", or "localhost", names a registry ("A/b"
   * is an uppercase repository), and the message does not quote the name.
   */
  imageTag(value: string): void {
    const slash = value.indexOf("/");
    const first = slash < 0 ? "" : value.slice(0, slash);
    const remainder = slash >= 0 && (/[.:]/u.test(first) || first === "localhost") ? value.slice(slash + 1) : value;
    const colon = remainder.indexOf(":");
    const remote = colon < 0 ? remainder : remainder.slice(0, colon);
    if (remote.toLowerCase() !== remote) throw new Error("invalid reference format: repository name must be lowercase");
    parseNormalizedNamed(value);
  },
  /** opts.QuotedString (--tlscacert, …): one pair of surrounding quotes is dropped. */
  quotedString(value: string): string {
    for (const q of ["'", '"']) {
      if (value.length >= 2 && value.startsWith(q) && value.endsWith(q)) return value.slice(1, -1);
    }
    return value;
  },
} as const;

// Go's encoding/csv reading one record: like pflag's stringSlice, except that
// an empty value is io.EOF rather than no fields.
function csvFields(value: string): string[] {
  if (value === "") throw new Error("EOF");
  return readCsvRecord(value);
}

function isGoBool(value: string): boolean {
  try {
    parseGoBool(value);
    return true;
  } catch {
    return false;
  }
}

function gpuCount(value: string): void {
  if (value === "all") return;
  try {
    parseInt10(value, "Atoi");
  } catch (e) {
    throw new Error(`count must be an integer: ${(e as Error).message}`);
  }
}

// "path:rest" where path is under /dev/; returns rest (throttle and weight devices).
function devicePathAnd(value: string): string {
  const colon = value.indexOf(":");
  if (colon < 0) throw new Error(`bad format: ${value}`);
  if (!value.startsWith("/dev/")) throw new Error(`bad format for device path: ${value}`);
  return value.slice(colon + 1);
}

/** strconv.ParseInt(s, 10, 64) / strconv.Atoi with Go's error text. */
function parseInt10(s: string, fn: "ParseInt" | "Atoi"): bigint {
  if (!/^[+-]?[0-9]+$/u.test(s)) throw new Error(`strconv.${fn}: parsing ${goQuote(s)}: invalid syntax`);
  const n = BigInt(s);
  if (n < -(2n ** 63n) || n >= 2n ** 63n) throw new Error(`strconv.${fn}: parsing ${goQuote(s)}: value out of range`);
  return n;
}

/** strconv.ParseUint(s, 10, bits), or undefined on any error. */
function parseUint10(s: string, bits: number): number | undefined {
  if (!/^[0-9]+$/u.test(s) || BigInt(s) >= 2n ** BigInt(bits)) return undefined;
  return Number(s);
}

// opts.domainRegexp, including its "(:?" typos (an optional colon); \s is RE2's.
const DOMAIN =
  /^(:?(:?[a-zA-Z0-9]|(:?[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))(:?\.(:?[a-zA-Z0-9]|(:?[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])))*)\.?[\t\n\f\r ]*$/u;

const SYSCTLS = new Set([
  "kernel.msgmax",
  "kernel.msgmnb",
  "kernel.msgmni",
  "kernel.sem",
  "kernel.shmall",
  "kernel.shmmax",
  "kernel.shmmni",
  "kernel.shm_rmid_forced",
]);

/** go-units ParseUlimit: name=soft[:hard], hard defaulting to soft; -1 is unlimited. */
export function parseUlimit(value: string): { Name: string; Hard: number; Soft: number } {
  const eq = value.indexOf("=");
  if (eq < 0) throw new Error(`invalid ulimit argument: ${value}`);
  const name = value.slice(0, eq);
  if (!ULIMITS.has(name)) throw new Error(`invalid ulimit type: ${name}`);
  const limits = value.slice(eq + 1).split(":");
  if (limits.length > 2) {
    throw new Error(`too many limit value arguments - ${value.slice(eq + 1)}, can only have up to two, \`soft[:hard]\``);
  }
  // Go parses the hard limit first.
  const hard = limits.length === 2 ? parseInt10(limits[1] ?? "", "ParseInt") : undefined;
  const soft = parseInt10(limits[0] ?? "", "ParseInt");
  const effectiveHard = hard ?? soft;
  if (effectiveHard !== -1n) {
    if (soft === -1n) {
      throw new Error(`ulimit soft limit must be less than or equal to hard limit: soft: -1 (unlimited), hard: ${effectiveHard}`);
    }
    if (soft > effectiveHard) throw new Error(`ulimit soft limit must be less than or equal to hard limit: ${soft} > ${effectiveHard}`);
  }
  return { Name: name, Hard: Number(effectiveHard), Soft: Number(soft) };
}

/**
 * Go's net.ParseIP(s).String() (Go 1.19): the canonical text of an IPv4 or
 * IPv6 address, or undefined when s is not one. IPv4 parts may not have
 * leading zeros; IPv4-mapped IPv6 addresses print as IPv4.
 */
export function parseGoIP(s: string): string | undefined {
  for (const c of s) {
    if (c === ".") {
      const v4 = parseIPv4(s);
      return v4 === undefined ? undefined : v4.join(".");
    }
    if (c === ":") {
      const v6 = parseIPv6(s);
      return v6 === undefined ? undefined : formatIPv6(v6);
    }
  }
  return undefined;
}

function parseIPv4(s: string): number[] | undefined {
  const parts = s.split(".");
  if (parts.length !== 4) return undefined;
  const bytes: number[] = [];
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/u.test(p) || (p.length > 1 && p[0] === "0")) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    bytes.push(n);
  }
  return bytes;
}

// Go 1.19 net.parseIPv6: 16 bytes, or undefined.
function parseIPv6(input: string): number[] | undefined {
  const ip: number[] = [];
  let s = input;
  let ellipsis = -1;
  if (s.startsWith("::")) {
    ellipsis = 0;
    s = s.slice(2);
    if (s === "") return new Array<number>(16).fill(0);
  }
  while (ip.length < 16) {
    // Go's xtoi: hex digits until the value reaches 0xFFFFFF.
    let n = 0;
    let c = 0;
    for (; c < s.length && /[0-9a-fA-F]/u.test(s[c] ?? ""); c++) {
      n = n * 16 + parseInt(s[c] ?? "", 16);
      if (n >= 0xffffff) return undefined;
    }
    if (c === 0 || n > 0xffff) return undefined;
    if (s[c] === ".") {
      // An embedded IPv4 address ends the string.
      if (ellipsis < 0 && ip.length !== 12) return undefined;
      if (ip.length + 4 > 16) return undefined;
      const v4 = parseIPv4(s);
      if (v4 === undefined) return undefined;
      ip.push(...v4);
      s = "";
      break;
    }
    ip.push(n >> 8, n & 0xff);
    s = s.slice(c);
    if (s === "") break;
    if (s[0] !== ":" || s.length === 1) return undefined;
    s = s.slice(1);
    if (s[0] === ":") {
      if (ellipsis >= 0) return undefined;
      ellipsis = ip.length;
      s = s.slice(1);
      if (s === "") break;
    }
  }
  if (s !== "") return undefined;
  if (ip.length < 16) {
    if (ellipsis < 0) return undefined;
    ip.splice(ellipsis, 0, ...new Array<number>(16 - ip.length).fill(0));
  } else if (ellipsis >= 0) {
    // The ellipsis must stand for at least one group of zeros.
    return undefined;
  }
  return ip;
}

// net.IP.String for 16 bytes: IPv4-mapped as dotted quad, else RFC 5952.
function formatIPv6(ip: readonly number[]): string {
  if (ip.slice(0, 10).every((b) => b === 0) && ip[10] === 0xff && ip[11] === 0xff) return ip.slice(12).join(".");
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((ip[i] ?? 0) << 8) | (ip[i + 1] ?? 0));
  // The longest run of at least two zero groups (the first one on a tie) becomes "::".
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  return hex.slice(0, bestStart).join(":") + "::" + hex.slice(bestStart + bestLen).join(":");
}
