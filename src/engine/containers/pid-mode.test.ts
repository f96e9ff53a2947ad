// PidMode parsing as api/types/container's PidMode methods do it.
import { describe, expect, it } from "vitest";
import { isPrivatePidMode, pidModeContainer, validPidMode } from "./pid-mode";

describe("PidMode", () => {
  it("accepts what PidMode.Valid accepts", () => {
    for (const m of ["", "host", "container:web", "host:x"]) expect(validPidMode(m), m).toBe(true);
    for (const m of ["bogus", "container", "container:", "container:a:b", "private"]) expect(validPidMode(m), m).toBe(false);
  });

  it("names the container to join, and which modes are private", () => {
    expect(pidModeContainer("container:web")).toBe("web");
    expect(pidModeContainer("host")).toBeUndefined();
    expect(isPrivatePidMode("")).toBe(true);
    expect(isPrivatePidMode("host")).toBe(false);
    expect(isPrivatePidMode("container:web")).toBe(false);
  });
});
