import { describe, expect, it } from "vitest";
import { errorMessage } from "../testing/error-message";
import { additionalGroups, resolveUser } from "./users";

// busybox's /etc/passwd and /etc/group, trimmed.
const PASSWD = "root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nnobody:x:65534:65534:nobody:/home:/bin/false\n";
const GROUP = "root:x:0:\ndaemon:x:1:\nwheel:x:10:root\naudio:x:29:\nnobody:x:65534:\n";

describe("users and groups as runc sets them (checked with `id` on dockerd 20.10.24)", () => {
  it("puts the primary group first among the supplementary ones, then memberships", () => {
    expect(resolveUser("", PASSWD, GROUP)).toEqual({ uid: 0, gid: 0, additionalGids: [0, 10], home: "/root" });
    expect(resolveUser("nobody", PASSWD, GROUP).additionalGids).toEqual([65534]);
    expect(resolveUser("1234", PASSWD, GROUP)).toMatchObject({ uid: 1234, gid: 0, additionalGids: [0] });
    expect(resolveUser("1234:5678", PASSWD, GROUP)).toMatchObject({ uid: 1234, gid: 5678, additionalGids: [5678] });
    // A named group: no memberships.
    expect(resolveUser("root:wheel", PASSWD, GROUP)).toMatchObject({ gid: 10, additionalGids: [10] });
  });

  it("--group-add takes names and numbers, and refuses an unknown name", () => {
    expect(additionalGroups(["audio", "4242", "wheel", "10"], GROUP)).toEqual([29, 4242, 10]);
    expect(errorMessage(() => additionalGroups(["nosuch"], GROUP))).toBe("Unable to find group nosuch: no matching entries in group file");
  });
});
