import { describe, expect, it } from "vitest";
import { JsonMessageError, JsonMessageRenderer, progressString, type DisplayMessage, type ProgressDetail } from "./jsonmessage";

const ESC = "\x1b";

describe("progressString (TestProgressString)", () => {
  const start = Date.UTC(2017, 11, 3, 15, 10, 1) / 1000;
  const cases: Array<[string, ProgressDetail, string, string, number?]> = [
    ["no progress", {}, "", ""],
    ["progress 1", { current: 1 }, "      1B", "      1B"],
    [
      "some progress with a start time",
      { current: 20, total: 100, start },
      "     20B/100B 4s",
      "[==========>                                        ]      20B/100B 4s",
      (start + 1) * 1000,
    ],
    [
      "some progress without a start time",
      { current: 50, total: 100 },
      "     50B/100B",
      "[=========================>                         ]      50B/100B",
    ],
    [
      "current more than total is not negative gh#7136",
      { current: 50, total: 40 },
      "     50B",
      "[==================================================>]      50B",
    ],
    [
      "with units",
      { current: 50, total: 100, units: "units" },
      "50/100 units",
      "[=========================>                         ] 50/100 units",
    ],
    [
      "current more than total with units is not negative ",
      { current: 50, total: 40, units: "units" },
      "50 units",
      "[==================================================>] 50 units",
    ],
    ["hide counts", { current: 50, total: 100, hidecounts: true }, "", "[=========================>                         ] "],
  ];
  it.each(cases)("%s", (_name, detail, short, long, now) => {
    expect(progressString(detail, 100, now)).toBe(short);
    expect(progressString(detail, 200, now)).toBe(long);
  });

  it("prints sizes with go-units and drops the ETA on narrow terminals", () => {
    const now = Date.UTC(2023, 0, 1);
    const detail = { current: 1_234_567, total: 3_456_789, start: now / 1000 - 10 };
    expect(progressString(detail, 120, now)).toBe("[=================>                                 ]  1.235MB/3.457MB 17s");
    expect(progressString(detail, 40, now)).toBe(" 1.235MB/3.457MB");
  });
});

/** Renders a sequence and returns the concatenated output. */
function render(isTerminal: boolean, msgs: DisplayMessage[], width = 0): string {
  const r = new JsonMessageRenderer(isTerminal, width);
  return msgs.map((m) => r.write(m)).join("");
}

describe("JSONMessage.Display (TestJSONMessageDisplay)", () => {
  const cases: Array<[string, DisplayMessage, string, string]> = [
    ["empty", {}, "\n", "\n"],
    ["status", { status: "status" }, "status\n", "status\n"],
    [
      "general",
      { time: 1136214245, id: "ID", from: "From", status: "status" },
      "2006-01-02T15:04:05.000000000Z ID: (from From) status\n",
      "2006-01-02T15:04:05.000000000Z ID: (from From) status\n",
    ],
    [
      "nano time is preferred",
      { time: 1, timeNano: 1136214245_500_000_000, id: "ID", from: "From", status: "status" },
      "2006-01-02T15:04:05.500000000Z ID: (from From) status\n",
      "2006-01-02T15:04:05.500000000Z ID: (from From) status\n",
    ],
    ["stream over status", { status: "status", stream: "stream" }, "stream", "stream"],
    ["progress message", { status: "status", progress: "progressMessage" }, "status progressMessage", "status progressMessage"],
    ["progress, stream empty", { status: "status", progressDetail: { current: 1 } }, "", `${ESC}[2K\rstatus       1B\r`],
  ];
  it.each(cases)("%s", (_name, msg, plain, term) => {
    expect(render(false, [msg])).toBe(plain);
    expect(render(true, [msg])).toBe(term);
  });

  it("turns errors into the CLI's error text (TestJSONMessageDisplayWithJSONError)", () => {
    const r = new JsonMessageRenderer(true, 80);
    const notFound = { code: 404, message: "Can't find it" };
    expect(() => r.write({ errorDetail: notFound, error: "Can't find it" })).toThrow("Can't find it");
    const auth = { code: 401, message: "Anything" };
    expect(() => r.write({ errorDetail: auth })).toThrow("authentication is required");
    try {
      r.write({ errorDetail: { message: "manifest unknown" }, error: "manifest unknown" });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(JsonMessageError);
      expect((err as JsonMessageError).output).toBe("");
    }
  });
});

describe("DisplayJSONMessagesStream (TestDisplayJSONMessagesStream)", () => {
  const cases: Array<[string, DisplayMessage, string, string]> = [
    ["without progress or id", { status: "status" }, "status\n", "status\n"],
    ["without progress, with id", { id: "ID", status: "status" }, "ID: status\n", "ID: status\n"],
    [
      "with progress",
      { id: "ID", status: "status", progress: "ProgressMessage" },
      "ID: status ProgressMessage",
      `\n${ESC}[1AID: status ProgressMessage${ESC}[1B`,
    ],
    [
      "with progressDetail",
      { id: "ID", status: "status", progressDetail: { current: 1 } },
      "",
      `\n${ESC}[1A${ESC}[2K\rID: status       1B\r${ESC}[1B`,
    ],
  ];
  it.each(cases)("%s", (_name, msg, plain, term) => {
    expect(render(false, [msg])).toBe(plain);
    expect(render(true, [msg])).toBe(term);
  });

  const pull: DisplayMessage[] = [
    { status: "Pulling from library/busybox", id: "latest" },
    { status: "Pulling fs layer", progressDetail: {}, id: "aaa" },
    { status: "Pulling fs layer", progressDetail: {}, id: "bbb" },
    { status: "Downloading", progressDetail: { current: 50, total: 100 }, progress: "ignored", id: "aaa" },
    { status: "Pull complete", progressDetail: {}, id: "bbb" },
    { status: "Digest: sha256:abc" },
    { status: "Status: Downloaded newer image for busybox:latest" },
  ];

  it("gives each layer its own line on a terminal", () => {
    expect(render(true, pull, 120)).toBe(
      "latest: Pulling from library/busybox\n" +
        `\n${ESC}[1A${ESC}[2K\raaa: Pulling fs layer \r${ESC}[1B` +
        `\n${ESC}[1A${ESC}[2K\rbbb: Pulling fs layer \r${ESC}[1B` +
        `${ESC}[2A${ESC}[2K\raaa: Downloading [=========================>                         ]      50B/100B\r${ESC}[2B` +
        `${ESC}[1A${ESC}[2K\rbbb: Pull complete \r${ESC}[1B` +
        "Digest: sha256:abc\n" +
        "Status: Downloaded newer image for busybox:latest\n",
    );
  });

  it("prints one line per message and skips bars elsewhere", () => {
    expect(render(false, pull)).toBe(
      "latest: Pulling from library/busybox\n" +
        "aaa: Pulling fs layer\n" +
        "bbb: Pulling fs layer\n" +
        "bbb: Pull complete\n" +
        "Digest: sha256:abc\n" +
        "Status: Downloaded newer image for busybox:latest\n",
    );
  });

  it("starts a new block of lines after non-progress output", () => {
    const r = new JsonMessageRenderer(true, 80);
    r.write({ id: "a", status: "Waiting", progressDetail: {} });
    r.write({ status: "something else" });
    // "a" is new again: a fresh line, one up.
    expect(r.write({ id: "a", status: "Waiting", progressDetail: {} })).toBe(`\n${ESC}[1A${ESC}[2K\ra: Waiting \r${ESC}[1B`);
  });

  it("hands aux messages to the callback and prints nothing", () => {
    const seen: unknown[] = [];
    const r = new JsonMessageRenderer(false, 80, { onAux: (m) => seen.push(m.aux) });
    expect(r.write({ aux: { ID: "sha256:abc" } })).toBe("");
    expect(seen).toEqual([{ ID: "sha256:abc" }]);
  });

  it("keeps the cursor movement written before an error", () => {
    const r = new JsonMessageRenderer(true, 80);
    r.write({ id: "a", status: "Downloading", progressDetail: {} });
    try {
      r.write({ id: "a", progressDetail: {}, errorDetail: { message: "boom" }, error: "boom" });
      expect.unreachable();
    } catch (err) {
      expect((err as JsonMessageError).message).toBe("boom");
      expect((err as JsonMessageError).output).toBe(`${ESC}[1A${ESC}[1B`);
    }
  });

  it("prints build output streams as they are", () => {
    expect(render(true, [{ stream: "Step 1/2 : FROM busybox\n" }, { stream: " ---> abc\n" }])).toBe(
      "Step 1/2 : FROM busybox\n ---> abc\n",
    );
  });
});
