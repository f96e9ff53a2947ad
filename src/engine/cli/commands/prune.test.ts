import { describe, expect, it } from "vitest";
import { systemPruneWarning } from "./prune";

describe("system prune's confirmation", () => {
  it("lists what goes, as docker/cli's template renders it", () => {
    expect(systemPruneWarning(false, false, [])).toBe(
      "WARNING! This will remove:\n  - all stopped containers\n  - all networks not used by at least one container\n  - all dangling images\n  - all dangling build cache\n\nAre you sure you want to continue?",
    );
    expect(systemPruneWarning(true, true, ["label=b", "until=1h", "label=a"])).toBe(
      "WARNING! This will remove:\n  - all stopped containers\n  - all networks not used by at least one container\n  - all volumes not used by at least one container\n" +
        "  - all images without at least one container associated to them\n  - all build cache\n\n  Items to be pruned will be filtered with:\n  - label=a\n  - label=b\n  - until=1h\n\nAre you sure you want to continue?",
    );
  });
});
