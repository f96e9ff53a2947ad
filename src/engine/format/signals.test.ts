import { describe, expect, it } from "vitest";
import { containerStopSignal, parseSignal, SIGNAL_MAP, signalName, signalNumber, validSignalForPlatform } from "./signals";

describe("SIGNAL_MAP (signal_linux.go)", () => {
  it("has moby's 64 entries with x86 Linux numbers", () => {
    expect(Object.keys(SIGNAL_MAP)).toHaveLength(65);
    expect(SIGNAL_MAP).toMatchObject({
      ABRT: 6, ALRM: 14, BUS: 7, CHLD: 17, CLD: 17, CONT: 18, FPE: 8, HUP: 1, ILL: 4, INT: 2, IO: 29, IOT: 6,
      KILL: 9, PIPE: 13, POLL: 29, PROF: 27, PWR: 30, QUIT: 3, SEGV: 11, STKFLT: 16, STOP: 19, SYS: 31, TERM: 15,
      TRAP: 5, TSTP: 20, TTIN: 21, TTOU: 22, URG: 23, USR1: 10, USR2: 12, VTALRM: 26, WINCH: 28, XCPU: 24, XFSZ: 25,
      RTMIN: 34, "RTMIN+1": 35, "RTMIN+15": 49, "RTMAX-14": 50, "RTMAX-1": 63, RTMAX: 64,
    });
  });
});

describe("parseSignal (TestParseSignal)", () => {
  it("rejects 0 and a bare SIG", () => {
    expect(() => parseSignal("0")).toThrow("Invalid signal: 0");
    expect(() => parseSignal("SIG")).toThrow("Invalid signal: SIG");
  });

  it("accepts every SignalMap key", () => {
    for (const [name, n] of Object.entries(SIGNAL_MAP)) expect(parseSignal(name)).toBe(n);
  });

  it("accepts SIG prefixes, any case, and numbers", () => {
    expect(parseSignal("KILL")).toBe(9);
    expect(parseSignal("SIGKILL")).toBe(9);
    expect(parseSignal("sigkill")).toBe(9);
    expect(parseSignal("Term")).toBe(15);
    expect(parseSignal("sigrtmin+3")).toBe(37);
    expect(parseSignal("9")).toBe(9);
    expect(parseSignal("+9")).toBe(9);
    // Atoi succeeds, so Go returns these unchecked; the daemon validates later.
    expect(parseSignal("-9")).toBe(-9);
    expect(parseSignal("99")).toBe(99);
    expect(signalNumber("SIGTERM")).toBe(15);
  });

  it("quotes the raw input in its error", () => {
    expect(() => parseSignal("foo")).toThrow("Invalid signal: foo");
    expect(() => parseSignal("SIGSIGKILL")).toThrow("Invalid signal: SIGSIGKILL");
    expect(() => parseSignal("")).toThrow("Invalid signal: ");
    expect(() => parseSignal(" 9")).toThrow("Invalid signal:  9");
    expect(() => parseSignal("-0")).toThrow("Invalid signal: -0");
    expect(() => parseSignal("toString")).toThrow("Invalid signal: toString");
    expect(() => parseSignal("99999999999999999999")).toThrow("Invalid signal: 99999999999999999999");
  });
});

describe("validSignalForPlatform (TestValidSignalForPlatform)", () => {
  it("knows 1-31 and 34-64 only", () => {
    expect(validSignalForPlatform(0)).toBe(false);
    for (const n of Object.values(SIGNAL_MAP)) expect(validSignalForPlatform(n)).toBe(true);
    expect(validSignalForPlatform(32)).toBe(false);
    expect(validSignalForPlatform(33)).toBe(false);
    expect(validSignalForPlatform(65)).toBe(false);
  });
});

describe("signalName", () => {
  it("names numbers canonically", () => {
    expect(signalName(9)).toBe("SIGKILL");
    expect(signalName(6)).toBe("SIGABRT");
    expect(signalName(17)).toBe("SIGCHLD");
    expect(signalName(29)).toBe("SIGIO");
    expect(signalName(34)).toBe("SIGRTMIN");
    expect(signalName(40)).toBe("SIGRTMIN+6");
    expect(signalName(50)).toBe("SIGRTMAX-14");
    expect(signalName(64)).toBe("SIGRTMAX");
    expect(signalName(0)).toBeUndefined();
    expect(signalName(32)).toBeUndefined();
  });
});

describe("containerStopSignal (Container.StopSignal)", () => {
  it("defaults to SIGTERM", () => {
    expect(containerStopSignal(undefined)).toBe(15);
    expect(containerStopSignal("")).toBe(15);
    expect(containerStopSignal("SIGUSR1")).toBe(10);
    expect(containerStopSignal("9")).toBe(9);
    expect(containerStopSignal("bogus")).toBe(-1);
  });
});
