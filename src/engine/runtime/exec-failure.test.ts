import { describe, expect, it } from "vitest";
import type { StreamName } from "../containers/logs";
import { execFailure, FailureLineHold } from "./exec-failure";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("execFailure", () => {
  it("words crun's failures as runc does", () => {
    expect(execFailure("executable file `nonexist` not found in $PATH: No such file or directory", "nonexist")).toEqual({
      detail: 'exec: "nonexist": executable file not found in $PATH',
      exitCode: 127,
    });
    expect(execFailure("executable file `/nonexist` not found in $PATH: No such file or directory", "/nonexist")).toEqual({
      detail: 'exec: "/nonexist": stat /nonexist: no such file or directory',
      exitCode: 127,
    });
    expect(execFailure("open executable: Permission denied", "/etc/passwd")).toEqual({ detail: 'exec: "/etc/passwd": permission denied', exitCode: 126 });
    expect(execFailure("open executable: Operation not permitted", "/etc")).toEqual({ detail: 'exec: "/etc": permission denied', exitCode: 126 });
    expect(execFailure("mount: something else", "x")).toBeUndefined();
  });
});

describe("FailureLineHold", () => {
  const collect = () => {
    const out: string[] = [];
    const hold = new FailureLineHold((s: StreamName, d) => out.push(`${s}:${new TextDecoder().decode(d)}`));
    return { out, hold };
  };

  it("holds crun's line (plain, or colored and timestamped on a terminal) until told", () => {
    for (const line of [
      "executable file `x` not found in $PATH: No such file or directory\n",
      "\x1b[1;31m2026-11-22T21:30:49.902983Z: executable file `x` not found in $PATH: No such file or directory\x1b[0m\r\n",
    ]) {
      const { out, hold } = collect();
      hold.write("stderr", bytes(line));
      expect(out).toEqual([]);
      expect(hold.take()).toBe(line);
      hold.flush();
      expect(out).toEqual([]);
    }
  });

  it("passes the line on when the program printed it, and everything else at once", () => {
    const { out, hold } = collect();
    hold.write("stderr", bytes("open executable: Permission denied\n"));
    hold.write("stdout", bytes("more\n"));
    expect(out).toEqual(["stderr:open executable: Permission denied\n", "stdout:more\n"]);
    const other = collect();
    other.hold.write("stdout", bytes("hello\n"));
    other.hold.write("stderr", bytes("open executable: Permission denied\n"));
    expect(other.out).toEqual(["stdout:hello\n", "stderr:open executable: Permission denied\n"]);
  });
});
