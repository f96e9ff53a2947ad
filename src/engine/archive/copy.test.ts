// docker cp's path rules, checked against moby pkg/archive's behaviour.
import { describe, expect, it } from "vitest";
import { cleanPath, CopyError, getRebaseName, goFileMode, isDirMode, isSymlinkMode, prepareArchiveCopy, preserveTrailingDotOrSeparator, rebaseEntries, splitPathDirEntry } from "./copy";
import { readTar, writeTar } from "./tar";

describe("docker cp path rules", () => {
  it("splits and cleans paths as filepath does", () => {
    expect(cleanPath("/a//b/../c/.")).toBe("/a/c");
    expect(cleanPath("../x")).toBe("../x");
    expect(splitPathDirEntry("/a/b/.")).toEqual(["/a/b", "."]);
    expect(splitPathDirEntry("/a/b/")).toEqual(["/a", "b"]);
    expect(splitPathDirEntry("/x")).toEqual(["/", "x"]);
    expect(preserveTrailingDotOrSeparator("/a/b", "/a/b/.")).toBe("/a/b/.");
    expect(preserveTrailingDotOrSeparator("/a/b", "a/b/")).toBe("/a/b/");
    expect(getRebaseName("/lnk", "/etc")).toEqual(["/etc", "lnk"]);
  });

  it("decides where an archive is extracted and how it is renamed", () => {
    const file = { path: "/src/f", exists: true, isDir: false };
    const dir = { path: "/src/d", exists: true, isDir: true };
    expect(prepareArchiveCopy(file, { path: "/dst", exists: true, isDir: true })).toEqual({ dstDir: "/dst" });
    expect(prepareArchiveCopy(file, { path: "/dst/new", exists: false, isDir: false })).toEqual({ dstDir: "/dst", rebase: ["f", "new"] });
    expect(prepareArchiveCopy(dir, { path: "/dst/new", exists: false, isDir: false })).toEqual({ dstDir: "/dst", rebase: ["d", "new"] });
    expect(prepareArchiveCopy({ ...dir, path: "/src/d/." }, { path: "/dst/new", exists: false, isDir: false })).toEqual({ dstDir: "/dst", rebase: [".", "new"] });
    expect(() => prepareArchiveCopy(dir, { path: "/dst/file", exists: true, isDir: false })).toThrow(new CopyError("cannot copy directory"));
    expect(() => prepareArchiveCopy(file, { path: "/dst/nodir/", exists: false, isDir: false })).toThrow(new CopyError("no such directory"));
  });

  it("renames archive entries, a '.' source's too", () => {
    const tar = writeTar([{ name: "d", type: "dir" }, { name: "d/x", type: "file" }, { name: "d/h", type: "link", linkname: "d/x" }]);
    expect(rebaseEntries(readTar(tar), "d", "new").map((e) => [e.name, e.linkname])).toEqual([["new", ""], ["new/x", ""], ["new/h", "new/x"]]);
    const dot = writeTar([{ name: "./", type: "dir" }, { name: "./x", type: "file" }]);
    expect(rebaseEntries(readTar(dot), ".", "cont").map((e) => e.name)).toEqual(["cont", "cont/x"]);
  });

  it("reports Go's FileMode bits", () => {
    expect(goFileMode(0o041777)).toBe(2 ** 31 + 2 ** 20 + 0o777);
    expect(isDirMode(goFileMode(0o040755))).toBe(true);
    expect(isSymlinkMode(goFileMode(0o120777))).toBe(true);
    expect(isDirMode(goFileMode(0o100644))).toBe(false);
  });
});
