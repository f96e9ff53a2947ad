// The host side of a container's filesystem: the guest scan turned into Docker's change
// list, and the upper folder turned into an image layer and back.
import { describe, expect, it } from "vitest";
import { readTar, writeTar } from "../archive/tar";
import { computeChanges, layerFromUpper, overlayWhiteouts } from "./filesystem";

// "E mode major minor inLower path" per upper entry, "H level kind path" per hidden lower entry.
const SCAN = [
  "E 41ed 0 0 1 /etc",
  "E 81a4 0 0 1 /etc/passwd",
  "E 81c0 0 0 0 /etc/hostname", // crun's mount point: Docker's init layer
  "E 41ed 0 0 1 /bin",
  "E 2000 0 0 1 /bin/ls", // an overlay whiteout
  "E 41ed 0 0 0 /new",
  "E 81a4 0 0 0 /new/f",
  "E 41ed 0 0 1 /proc",
  "E 41ed 0 0 1 /usr", // copied up, nothing changed inside
  "E 41ed 0 0 1 /opt", // made opaque: the lower entries below are hidden
  "H 1 e /opt/a",
  "H 2 e /opt/b",
  "H 1 w /opt/c", // already deleted by the image itself
  "H 2 e /opt/c",
].join("\n");

describe("container changes", () => {
  it("reports A/C/D as dockerd's differ does, parents first", () => {
    expect(computeChanges(SCAN).map((c) => `${"CAD"[c.Kind]} ${c.Path}`)).toEqual(["C /bin", "D /bin/ls", "C /etc", "C /etc/passwd", "A /new", "A /new/f", "C /opt", "D /opt/a", "D /opt/b"]);
  });

  it("makes a layer with .wh. files, and turns it back into overlay whiteouts", () => {
    const upper = readTar(
      writeTar([
        { name: "bin", type: "dir" },
        { name: "bin/ls", type: "char" },
        { name: "etc", type: "dir" },
        { name: "etc/passwd", type: "file", data: new TextEncoder().encode("root\n") },
        { name: "etc/hostname", type: "file" },
        { name: "opt", type: "dir" },
        { name: "new", type: "dir" },
        { name: "new/f", type: "file" },
        { name: "usr", type: "dir" },
      ]),
    );
    const layer = readTar(layerFromUpper(upper, computeChanges(SCAN)));
    expect(layer.map((e) => `${e.type} ${e.name}`)).toEqual(["dir bin", "file bin/.wh.ls", "dir etc", "file etc/passwd", "dir new", "file new/f", "dir opt", "file opt/.wh.a", "file opt/.wh.b"]);
    const back = readTar(overlayWhiteouts(writeTar([...layer, { name: "opt/.wh..wh..opq", type: "file" }])));
    expect(back.filter((e) => e.type === "char").map((e) => `${e.name} ${e.devmajor}:${e.devminor}`)).toEqual(["bin/ls 0:0", "opt/a 0:0", "opt/b 0:0"]);
    expect(back.some((e) => e.name.includes(".wh."))).toBe(false);
  });
});
