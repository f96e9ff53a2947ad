// Docker's own flag value types (docker/cli opts: MemBytes, NanoCPUs, FilterOpt,
// …): each validator throws with the cause Docker prints after
// "invalid argument … flag: ", or returns a normalized value.
import { parseGoDuration, parseGoRational } from "../util/go-values";
import { ramInBytes } from "../util/units";

/** Validators for Docker's own flag value types, with Docker's error texts. */
export const validators = {
  /** opts.MemBytes (--memory, --shm-size, …): go-units RAMInBytes. */
  bytes(value: string): void {
    ramInBytes(value);
  },
  /** opts.MemSwapBytes (--memory-swap): "-1" means unlimited. */
  memSwapBytes(value: string): void {
    if (value !== "-1") ramInBytes(value);
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
