// Docker's own flag value types (docker/cli opts: MemBytes, NanoCPUs, FilterOpt,
// …): each validator throws with the cause Docker prints after
// "invalid argument … flag: ", or returns a normalized value.
import { parseGoDuration, parseGoFloat, parseGoRational } from "../util/go-values";

/**
 * RAMInBytes as vendored in Docker 20.10.24 (the older, regexp-based go-units
 * parseSize): anything outside `^(\d+(\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$` is
 * "invalid size: '<value>'" (`docker run -m 1x`, `-m .5`, `-m 1e3`); a number
 * part such as "1.5.5" fails strconv.ParseFloat. Newer releases word these
 * differently ("invalid suffix: 'x'").
 */
const SIZE_20_10 = /^(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/;
const UNITS_20_10: Readonly<Record<string, number>> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

function ramInBytes20(value: string): number {
  const m = SIZE_20_10.exec(value);
  if (m === null) throw new Error(`invalid size: '${value}'`);
  const size = parseGoFloat(m[1] ?? "");
  const mul = UNITS_20_10[(m[2] ?? "").toLowerCase()] ?? 1;
  return Math.trunc(size * mul) + 0;
}

/** Validators for Docker's own flag value types, with Docker's error texts. */
export const validators = {
  /** opts.MemBytes (--memory, --shm-size, …): go-units RAMInBytes. */
  bytes(value: string): void {
    ramInBytes20(value);
  },
  /** opts.MemSwapBytes (--memory-swap): "-1" means unlimited. */
  memSwapBytes(value: string): void {
    if (value !== "-1") ramInBytes20(value);
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
  /** opts.FilterOpt (-f, --filter): needs "name=value". */
  filter(value: string): void {
    if (!value.includes("=")) throw new Error("bad format of filter (expected name=value)");
  },
  /** run -a/--attach. */
  attach(value: string): string {
    const lower = value.toLowerCase();
    if (lower === "stdin" || lower === "stdout" || lower === "stderr") return lower;
    throw new Error("valid streams are STDIN, STDOUT and STDERR");
  },
  /** run -e/--env: the variable name must not be empty. */
  env(value: string): void {
    const eq = value.indexOf("=");
    const key = eq < 0 ? value : value.slice(0, eq);
    if (key === "") throw new Error(`invalid environment variable: ${value}`);
  },
} as const;
