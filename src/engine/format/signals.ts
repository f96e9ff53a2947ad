// moby pkg/signal (v20.10.24) for Linux on x86: the names `docker kill -s`, --stop-signal
// and STOPSIGNAL accept, and ParseSignal's rules and error text.

const SIGRTMIN = 34;
const SIGRTMAX = 64;

/** Canonical names of signals 1-31 (golang.org/x/sys/unix signalList, x86 Linux). */
const NAMES: readonly string[] = [
  "",
  "SIGHUP",
  "SIGINT",
  "SIGQUIT",
  "SIGILL",
  "SIGTRAP",
  "SIGABRT",
  "SIGBUS",
  "SIGFPE",
  "SIGKILL",
  "SIGUSR1",
  "SIGSEGV",
  "SIGUSR2",
  "SIGPIPE",
  "SIGALRM",
  "SIGTERM",
  "SIGSTKFLT",
  "SIGCHLD",
  "SIGCONT",
  "SIGSTOP",
  "SIGTSTP",
  "SIGTTIN",
  "SIGTTOU",
  "SIGURG",
  "SIGXCPU",
  "SIGXFSZ",
  "SIGVTALRM",
  "SIGPROF",
  "SIGWINCH",
  "SIGIO",
  "SIGPWR",
  "SIGSYS",
];

function buildSignalMap(): Record<string, number> {
  const map: Record<string, number> = {};
  NAMES.forEach((name, n) => {
    if (name !== "") map[name.slice(3)] = n;
  });
  // Aliases present in moby's SignalMap.
  map.CLD = 17;
  map.IOT = 6;
  map.POLL = 29;
  map.RTMIN = SIGRTMIN;
  for (let i = 1; i <= 15; i++) map[`RTMIN+${i}`] = SIGRTMIN + i;
  for (let i = 14; i >= 1; i--) map[`RTMAX-${i}`] = SIGRTMAX - i;
  map.RTMAX = SIGRTMAX;
  return map;
}

/** SignalMap: names without the SIG prefix → numbers (ABRT … XFSZ, RTMIN, RTMIN+1 … RTMAX-1, RTMAX). */
export const SIGNAL_MAP: Readonly<Record<string, number>> = Object.freeze(buildSignalMap());

/** signal.DefaultStopSignal on Unix. */
export const DEFAULT_STOP_SIGNAL = "SIGTERM";

/** strconv.Atoi on 64-bit: optional sign, decimal digits, int64 range; null when Go would fail. */
function atoi(s: string): number | null {
  const m = /^[+-]?[0-9]+$/.exec(s);
  if (!m) return null;
  const v = BigInt(s);
  if (v > (1n << 63n) - 1n || v < -(1n << 63n)) return null;
  return Number(v);
}

/**
 * ParseSignal: a number ("9", also "+9" and, unchecked, "-9" or "99", as Go's Atoi reads
 * them) or a name with or without "SIG", any case ("KILL", "sigkill", "RTMIN+3").
 * Throws Error("Invalid signal: <raw>") for anything else, and for 0.
 */
export function parseSignal(raw: string): number {
  const n = atoi(raw);
  if (n !== null) {
    if (n === 0) throw new Error(`Invalid signal: ${raw}`);
    return n;
  }
  const upper = raw.toUpperCase();
  const key = upper.startsWith("SIG") ? upper.slice(3) : upper;
  const sig = Object.hasOwn(SIGNAL_MAP, key) ? SIGNAL_MAP[key] : undefined;
  if (sig === undefined) throw new Error(`Invalid signal: ${raw}`);
  return sig;
}

/** Alias of parseSignal, the name the daemon code imports. */
export const signalNumber = parseSignal;

/** ValidSignalForPlatform: whether the number is in SignalMap (1-31 and 34-64). */
export function validSignalForPlatform(sig: number): boolean {
  return Object.values(SIGNAL_MAP).includes(sig);
}

/** A signal number's name with the SIG prefix ("SIGKILL", "SIGRTMIN+3"), or undefined. */
export function signalName(sig: number): string | undefined {
  const name = NAMES[sig];
  if (name) return name;
  for (const [key, n] of Object.entries(SIGNAL_MAP)) if (n === sig && key.startsWith("RT")) return `SIG${key}`;
  return undefined;
}

/**
 * container.StopSignal(): the configured StopSignal, else SIGTERM. An unparsable value
 * yields -1 because Go ignores ParseSignal's error and keeps its -1 return.
 */
export function containerStopSignal(stopSignal: string | undefined): number {
  let sig = 0;
  if (stopSignal) {
    try {
      sig = parseSignal(stopSignal);
    } catch {
      sig = -1;
    }
  }
  return sig === 0 ? parseSignal(DEFAULT_STOP_SIGNAL) : sig;
}
