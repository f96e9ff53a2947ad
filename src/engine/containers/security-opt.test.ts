import { describe, expect, it } from "vitest";
import { errorMessage } from "../testing/error-message";
import { parseSecurityOpt } from "./security-opt";

describe("--security-opt as dockerd reads it", () => {
  it("applies no-new-privileges, keeps AppArmor and SELinux options (no effect without them)", () => {
    expect(parseSecurityOpt(["no-new-privileges"])).toEqual({ noNewPrivileges: true });
    expect(parseSecurityOpt(["no-new-privileges=false", "apparmor=docker-default", "label=disable", "seccomp=unconfined"])).toEqual({ noNewPrivileges: false });
    expect(parseSecurityOpt(["no-new-privileges:true"])).toEqual({ noNewPrivileges: true });
    expect(parseSecurityOpt(null)).toEqual({ noNewPrivileges: false });
  });

  it("refuses with dockerd's words, and profiles Berth cannot apply yet", () => {
    expect(errorMessage(() => parseSecurityOpt(["bogus"]))).toBe('invalid --security-opt 1: "bogus"');
    expect(errorMessage(() => parseSecurityOpt(["foo=bar"]))).toBe('invalid --security-opt 2: "foo=bar"');
    expect(errorMessage(() => parseSecurityOpt(["no-new-privileges=maybe"]))).toBe('invalid --security-opt 2: "no-new-privileges=maybe"');
    expect(errorMessage(() => parseSecurityOpt(['seccomp={"defaultAction":"SCMP_ACT_ALLOW"}']))).toBe("Berth does not support seccomp profiles yet");
  });
});
