import { describe, expect, it } from "vitest";
import {
  containerStatus,
  createdSince,
  getTimestamp,
  goDuration,
  humanDuration,
  parseGoDuration,
  parseRFC3339,
  parseSinceUntil,
  parseTimestamps,
  type StatusState,
} from "./duration";

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const MONTH = 30 * DAY;
const YEAR = 365 * DAY;

describe("humanDuration (go-units TestHumanDuration)", () => {
  const cases: Array<[string, number]> = [
    ["Less than a second", 450],
    ["1 second", 1 * SEC],
    ["45 seconds", 45 * SEC],
    ["46 seconds", 46 * SEC],
    ["59 seconds", 59 * SEC],
    ["About a minute", 60 * SEC],
    ["About a minute", 1 * MIN],
    ["3 minutes", 3 * MIN],
    ["35 minutes", 35 * MIN],
    ["35 minutes", 35 * MIN + 40 * SEC],
    ["45 minutes", 45 * MIN],
    ["45 minutes", 45 * MIN + 40 * SEC],
    ["46 minutes", 46 * MIN],
    ["59 minutes", 59 * MIN],
    ["About an hour", 1 * HOUR],
    ["About an hour", 1 * HOUR + 29 * MIN],
    ["2 hours", 1 * HOUR + 31 * MIN],
    ["2 hours", 1 * HOUR + 59 * MIN],
    ["3 hours", 3 * HOUR],
    ["3 hours", 3 * HOUR + 29 * MIN],
    ["4 hours", 3 * HOUR + 31 * MIN],
    ["4 hours", 3 * HOUR + 59 * MIN],
    ["4 hours", 3 * HOUR + 60 * MIN],
    ["24 hours", 24 * HOUR],
    ["36 hours", 1 * DAY + 12 * HOUR],
    ["2 days", 2 * DAY],
    ["7 days", 7 * DAY],
    ["13 days", 13 * DAY + 5 * HOUR],
    ["2 weeks", 2 * WEEK],
    ["2 weeks", 2 * WEEK + 4 * DAY],
    ["3 weeks", 3 * WEEK],
    ["4 weeks", 4 * WEEK],
    ["4 weeks", 4 * WEEK + 3 * DAY],
    ["4 weeks", 1 * MONTH],
    ["6 weeks", 1 * MONTH + 2 * WEEK],
    ["2 months", 2 * MONTH],
    ["2 months", 2 * MONTH + 2 * WEEK],
    ["3 months", 3 * MONTH],
    ["3 months", 3 * MONTH + 1 * WEEK],
    ["5 months", 5 * MONTH + 2 * WEEK],
    ["13 months", 13 * MONTH],
    ["23 months", 23 * MONTH],
    ["24 months", 24 * MONTH],
    ["2 years", 24 * MONTH + 2 * WEEK],
    ["3 years", 3 * YEAR + 2 * MONTH],
  ];
  it.each(cases)("%s", (want, ms) => expect(humanDuration(ms)).toBe(want));

  it("treats negative spans (clock skew) as less than a second", () => {
    expect(humanDuration(-5 * SEC)).toBe("Less than a second");
  });
});

describe("createdSince", () => {
  it("appends ago, as docker ps / images print it", () => {
    const now = Date.UTC(2023, 3, 4, 12, 0, 0);
    expect(createdSince(now / 1000 - 180, now)).toBe("3 minutes ago");
    expect(createdSince(now / 1000 - 3600, now)).toBe("About an hour ago");
    expect(createdSince(now / 1000 - 14 * 86400, now)).toBe("2 weeks ago");
  });
});

describe("containerStatus (State.String)", () => {
  const now = Date.UTC(2023, 3, 4, 12, 0, 0);
  const iso = (ms: number) => new Date(ms).toISOString();
  const ZERO = "0001-01-01T00:00:00Z";
  const base: StatusState = {
    Running: false,
    Paused: false,
    Restarting: false,
    Dead: false,
    ExitCode: 0,
    StartedAt: ZERO,
    FinishedAt: ZERO,
  };

  it("Created", () => expect(containerStatus(base, now)).toBe("Created"));
  it("Up", () => {
    expect(containerStatus({ ...base, Running: true, StartedAt: iso(now - 5 * SEC) }, now)).toBe("Up 5 seconds");
    // Docker's nanosecond timestamps parse too.
    expect(containerStatus({ ...base, Running: true, StartedAt: "2023-04-04T11:57:59.123456789Z" }, now)).toBe("Up 2 minutes");
  });
  it("Up (Paused)", () => {
    expect(containerStatus({ ...base, Running: true, Paused: true, StartedAt: iso(now - 2 * MIN) }, now)).toBe(
      "Up 2 minutes (Paused)",
    );
  });
  it("Restarting", () => {
    const s = { ...base, Running: true, Restarting: true, ExitCode: 1, StartedAt: iso(now - HOUR), FinishedAt: iso(now - 3 * SEC) };
    expect(containerStatus(s, now)).toBe("Restarting (1) 3 seconds ago");
  });
  it("health", () => {
    const s = { ...base, Running: true, StartedAt: iso(now - 30 * SEC) };
    expect(containerStatus({ ...s, Health: { Status: "starting" } }, now)).toBe("Up 30 seconds (health: starting)");
    expect(containerStatus({ ...s, Health: { Status: "healthy" } }, now)).toBe("Up 30 seconds (healthy)");
    expect(containerStatus({ ...s, Health: { Status: "" } }, now)).toBe("Up 30 seconds (unhealthy)");
  });
  it("Exited", () => {
    const s = { ...base, ExitCode: 137, StartedAt: iso(now - HOUR), FinishedAt: iso(now - 3 * MIN) };
    expect(containerStatus(s, now)).toBe("Exited (137) 3 minutes ago");
    expect(containerStatus({ ...s, FinishedAt: ZERO }, now)).toBe("");
  });
  it("Removal In Progress and Dead", () => {
    const s = { ...base, StartedAt: iso(now - HOUR), FinishedAt: iso(now - MIN) };
    expect(containerStatus({ ...s, Status: "removing" }, now)).toBe("Removal In Progress");
    expect(containerStatus({ ...s, RemovalInProgress: true }, now)).toBe("Removal In Progress");
    expect(containerStatus({ ...s, Dead: true }, now)).toBe("Dead");
  });
});

describe("goDuration (Go durationTests)", () => {
  const cases: Array<[string, bigint]> = [
    ["0s", 0n],
    ["1ns", 1n],
    ["1.1µs", 1100n],
    ["2.2ms", 2_200_000n],
    ["3.3s", 3_300_000_000n],
    ["4m5s", 245_000_000_000n],
    ["4m5.001s", 245_001_000_000n],
    ["5h6m7.001s", 18_367_001_000_000n],
    ["8m0.000000001s", 480_000_000_001n],
    ["2562047h47m16.854775807s", (1n << 63n) - 1n],
    ["-2562047h47m16.854775808s", -(1n << 63n)],
  ];
  it.each(cases)("%s", (want, ns) => expect(goDuration(ns)).toBe(want));
  it("takes numbers", () => {
    expect(goDuration(90e9)).toBe("1m30s");
    expect(goDuration(1.5e9)).toBe("1.5s");
    expect(goDuration(-1.5e9)).toBe("-1.5s");
  });
});

describe("parseGoDuration (Go parseDurationTests)", () => {
  const S = 1_000_000_000n;
  const cases: Array<[string, bigint]> = [
    ["0", 0n],
    ["5s", 5n * S],
    ["30s", 30n * S],
    ["1478s", 1478n * S],
    ["-5s", -5n * S],
    ["+5s", 5n * S],
    ["-0", 0n],
    ["+0", 0n],
    ["5.0s", 5n * S],
    ["5.6s", 5_600_000_000n],
    ["5.s", 5n * S],
    [".5s", 500_000_000n],
    ["1.004s", 1_004_000_000n],
    ["100.00100s", 100_001_000_000n],
    ["10ns", 10n],
    ["11us", 11_000n],
    ["12µs", 12_000n],
    ["12μs", 12_000n],
    ["13ms", 13_000_000n],
    ["15m", 900n * S],
    ["16h", 16n * 3600n * S],
    ["3h30m", 12600n * S],
    ["10.5s4m", 250_500_000_000n],
    ["-2m3.4s", -123_400_000_000n],
    ["1h2m3s4ms5us6ns", 3_723_004_005_006n],
    ["39h9m14.425s", 140_954_425_000_000n],
    ["52763797000ns", 52_763_797_000n],
    ["0.3333333333333333333h", 1200n * S],
    ["9007199254740993ns", (1n << 53n) + 1n],
    ["9223372036854775807ns", (1n << 63n) - 1n],
    ["9223372036854775.807us", (1n << 63n) - 1n],
    ["9223372036s854ms775us807ns", (1n << 63n) - 1n],
    ["-9223372036854775808ns", -(1n << 63n)],
    ["-9223372036854775.808us", -(1n << 63n)],
    ["-2562047h47m16.854775808s", -(1n << 63n)],
    ["0.100000000000000000000h", 360n * S],
    ["0.830103483285477580700h", 2988n * S + 372_539_827n],
  ];
  it.each(cases)("%s", (s, want) => expect(parseGoDuration(s)).toBe(want));

  it("fails with Go's messages", () => {
    expect(() => parseGoDuration("")).toThrow('time: invalid duration ""');
    expect(() => parseGoDuration("3")).toThrow('time: missing unit in duration "3"');
    expect(() => parseGoDuration("-")).toThrow('time: invalid duration "-"');
    expect(() => parseGoDuration("s")).toThrow('time: invalid duration "s"');
    expect(() => parseGoDuration(".s")).toThrow('time: invalid duration ".s"');
    expect(() => parseGoDuration("1d")).toThrow('time: unknown unit "d" in duration "1d"');
    expect(() => parseGoDuration("9223372036854775808ns")).toThrow('time: invalid duration "9223372036854775808ns"');
    expect(() => parseGoDuration("9223372036854775.808us")).toThrow('time: invalid duration "9223372036854775.808us"');
    expect(() => parseGoDuration("1é")).toThrow('time: unknown unit "\\xc3\\xa9" in duration "1\\xc3\\xa9"');
  });
});

describe("getTimestamp (api/types/time TestGetTimestamp)", () => {
  const now = Date.UTC(2023, 3, 4, 12, 0, 0, 250);
  const nowSec = Math.floor(now / 1000);
  const cases: Array<[string, string]> = [
    ["2006-01-02T15:04:05.999999999+07:00", "1136189045.999999999"],
    ["2006-01-02T15:04:05.999999999Z", "1136214245.999999999"],
    ["2006-01-02T15:04:05.999999999", "1136214245.999999999"],
    ["2006-01-02T15:04:05Z", "1136214245.000000000"],
    ["2006-01-02T15:04:05", "1136214245.000000000"],
    ["2006-01-02T15:04Z", "1136214240.000000000"],
    ["2006-01-02T15:04+00:00", "1136214240.000000000"],
    ["2006-01-02T15:04-00:00", "1136214240.000000000"],
    ["2006-01-02T15:04", "1136214240.000000000"],
    ["2006-01-02T15Z", "1136214000.000000000"],
    ["2006-01-02T15+00:00", "1136214000.000000000"],
    ["2006-01-02T15-00:00", "1136214000.000000000"],
    ["2006-01-02T15", "1136214000.000000000"],
    ["2006-01-02T1Z", "1136163600.000000000"],
    ["2006-01-02T1", "1136163600.000000000"],
    ["2006-01-02+00:00", "1136160000.000000000"],
    ["2006-01-02-00:00", "1136160000.000000000"],
    ["2006-01-02-00:01", "1136160060.000000000"],
    ["2006-01-02Z", "1136160000.000000000"],
    ["2006-01-02", "1136160000.000000000"],
    ["2015-05-13T20:39:09Z", "1431549549.000000000"],
    ["1136073600", "1136073600"],
    ["1136073600.000000001", "1136073600.000000001"],
    ["1m", String(nowSec - 60)],
    ["1.5h", String(nowSec - 5400)],
    ["1h30m", String(nowSec - 5400)],
    ["0", "0"],
    // Go accepts a comma as the decimal separator, and a fraction the layout lacks.
    ["2006-01-02T15:04:05,5Z", "1136214245.500000000"],
  ];
  it.each(cases)("%s", (input, want) => expect(getTimestamp(input, now)).toBe(want));

  it.each(["2006-01-02T15:04:0Z", "2006-01-02T15:04:0", "2006-01-02T15:0Z", "2006-01-02T15:0", "2006-01-02TZ", "2006-01-02T", "invalid", ""])(
    "rejects %j",
    (input) => expect(() => getTimestamp(input, now)).toThrow(),
  );

  it("words errors as Go does", () => {
    expect(() => getTimestamp("2006-01-02T15:04:0Z", now)).toThrow(
      'parsing time "2006-01-02T15:04:0Z" as "2006-01-02T15:04:05Z07:00": cannot parse "0Z" as "05"',
    );
    expect(() => getTimestamp("2006-01-02T", now)).toThrow('parsing time "2006-01-02T" as "2006-01-02T15": cannot parse "" as "15"');
    expect(() => getTimestamp("2006-13-02", now)).toThrow('parsing time "2006-13-02": month out of range');
    expect(() => getTimestamp("2006-02-30", now)).toThrow('parsing time "2006-02-30": day out of range');
    expect(() => getTimestamp("2006-01-02T15:04:05 x", now)).toThrow(
      'parsing time "2006-01-02T15:04:05 x": extra text: " x"',
    );
    expect(() => getTimestamp("2006-01-02T15:04:05.1234567891Z", now)).toThrow(
      'parsing time "2006-01-02T15:04:05.1234567891Z": fractional second out of range',
    );
    expect(() => getTimestamp("invalid", now)).toThrow('failed to parse value as time or duration: "invalid"');
    expect(() => getTimestamp("", now)).toThrow('failed to parse value as time or duration: ""');
  });

  it("reads zone-less times in the client's zone", () => {
    expect(getTimestamp("2006-01-02T15:04:05", now, 3600)).toBe("1136210645.000000000");
    expect(getTimestamp("2006-01-02T15:04:05Z", now, 3600)).toBe("1136214245.000000000");
  });
});

describe("parseTimestamps (TestParseTimestamps)", () => {
  it.each([
    ["1136073600", 0, 1136073600, 0],
    ["1136073600.000000001", 0, 1136073600, 1],
    ["1136073600.0000000010", 0, 1136073600, 1],
    ["1136073600.00000001", 0, 1136073600, 10],
    ["", -1, -1, 0],
  ] as const)("%j", (input, def, s, n) => expect(parseTimestamps(input, def)).toEqual({ seconds: s, nanoseconds: n }));

  it("rejects junk with strconv's message", () => {
    expect(() => parseTimestamps("foo.bar", 0)).toThrow('strconv.ParseInt: parsing "foo": invalid syntax');
    expect(() => parseTimestamps("1136073600.bar", 0)).toThrow('strconv.ParseInt: parsing "bar": invalid syntax');
  });
});

describe("parseSinceUntil", () => {
  const now = Date.UTC(2023, 3, 4, 12, 0, 0);
  it("gives epoch milliseconds", () => {
    expect(parseSinceUntil("10m", now)).toBe(now - 10 * MIN);
    expect(parseSinceUntil("1h30m", now)).toBe(now - 90 * MIN);
    expect(parseSinceUntil("1500000000.123", now)).toBe(1500000000123);
    expect(parseSinceUntil("2015-05-13T20:39:09Z", now)).toBe(1431549549000);
    expect(parseSinceUntil("2015-05-13T20:39:09.5+01:00", now)).toBe(1431545949500);
  });
});

describe("parseRFC3339", () => {
  it("parses Docker's timestamps", () => {
    expect(parseRFC3339("2023-04-04T12:00:00.123456789Z")).toBeCloseTo(Date.UTC(2023, 3, 4, 12, 0, 0, 123) + 0.456789, 3);
    expect(parseRFC3339("0001-01-01T00:00:00Z")).toBe(-62135596800000);
  });
});
