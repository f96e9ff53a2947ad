import { describe, expect, it } from "vitest";
import { DOCKER_TABWRITER, runeWidth, stringWidth, TabWriter, tabwriterFormat } from "./tabwriter";

describe("tabwriter with Docker's settings (minwidth 10, padding 3)", () => {
  it("renders the empty `docker ps` header exactly", () => {
    expect(tabwriterFormat("CONTAINER ID\tIMAGE\tCOMMAND\tCREATED\tSTATUS\tPORTS\tNAMES\n")).toBe(
      "CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES\n",
    );
  });

  it("aligns `docker ps` rows", () => {
    const text =
      "CONTAINER ID\tIMAGE\tCOMMAND\tCREATED\tSTATUS\tPORTS\tNAMES\n" +
      'f2a1d9c0e3b4\tnginx:latest\t"/docker-entrypoint.…"\t2 minutes ago\tUp 2 minutes\t0.0.0.0:8080->80/tcp\tweb\n' +
      'a0b1c2d3e4f5\tredis\t"docker-entrypoint.s…"\t3 hours ago\tExited (0) 1 hour ago\t\tcache\n';
    expect(tabwriterFormat(text)).toBe(
      "CONTAINER ID   IMAGE          COMMAND                  CREATED         STATUS                  PORTS                  NAMES\n" +
        'f2a1d9c0e3b4   nginx:latest   "/docker-entrypoint.…"   2 minutes ago   Up 2 minutes            0.0.0.0:8080->80/tcp   web\n' +
        'a0b1c2d3e4f5   redis          "docker-entrypoint.s…"   3 hours ago     Exited (0) 1 hour ago                          cache\n',
    );
  });

  it("renders `docker images` and `docker network ls` style tables", () => {
    expect(tabwriterFormat("REPOSITORY\tTAG\tIMAGE ID\tCREATED\tSIZE\nbusybox\tlatest\t1a2b3c4d5e6f\t2 weeks ago\t4.26MB\n")).toBe(
      "REPOSITORY   TAG       IMAGE ID       CREATED       SIZE\nbusybox      latest    1a2b3c4d5e6f   2 weeks ago   4.26MB\n",
    );
    expect(tabwriterFormat("NETWORK ID\tNAME\tDRIVER\tSCOPE\n0123456789ab\tbridge\tbridge\tlocal\n")).toBe(
      "NETWORK ID     NAME      DRIVER    SCOPE\n0123456789ab   bridge    bridge    local\n",
    );
  });

  it("treats the trailing text of a line as outside any column", () => {
    expect(tabwriterFormat("a\tb\nlonger text without tabs\nc\td\n")).toBe("a         b\nlonger text without tabs\nc         d\n");
  });

  it("measures cells in terminal columns (wide and combining characters)", () => {
    expect(tabwriterFormat("名前\tx\nab\ty\n")).toBe("名前      x\nab        y\n");
    expect(tabwriterFormat("e\u0301\tx\nab\ty\n")).toBe("e\u0301         x\nab        y\n");
    expect(runeWidth(0x4e00)).toBe(2);
    expect(runeWidth(0x301)).toBe(0);
    expect(runeWidth(0x1f600)).toBe(2);
    expect(stringWidth("héllo")).toBe(5);
  });

  it("keeps text without a final newline and flushes on demand", () => {
    const w = new TabWriter();
    w.write("a\tb\nc");
    expect(w.output()).toBe("");
    w.write("c\tdd");
    w.flush();
    expect(w.output()).toBe("a         b\ncc        dd");
  });

  it("terminates columns at a blank line (column blocks are contiguous)", () => {
    expect(tabwriterFormat("aaaaaaaaaaaa\tb\n\nc\td\n")).toBe("aaaaaaaaaaaa   b\n\nc         d\n");
  });
});

describe("tabwriter options", () => {
  it("pads with tabs when padchar is a tab", () => {
    expect(tabwriterFormat("a\tb\nccccccccc\td\n", { minwidth: 0, tabwidth: 8, padding: 1, padchar: "\t" })).toBe("a\t\tb\nccccccccc\td\n");
  });

  it("aligns right, discards empty columns, prints debug bars", () => {
    expect(tabwriterFormat("a\tbbb\t\nccc\td\t\n", { minwidth: 0, tabwidth: 8, padding: 1, padchar: ".", flags: { alignRight: true } })).toBe(
      "...a.bbb\n.ccc...d\n",
    );
    expect(tabwriterFormat("a\v\vb\n", { minwidth: 0, tabwidth: 8, padding: 1, padchar: ".", flags: { discardEmptyColumns: true } })).toBe("a.b\n");
    expect(tabwriterFormat("a\tb\tc\n", { minwidth: 0, tabwidth: 8, padding: 1, padchar: " ", flags: { debug: true } })).toBe("a |b |c\n");
  });

  it("rejects negative settings", () => {
    expect(() => new TabWriter({ ...DOCKER_TABWRITER, padding: -1 })).toThrow("negative minwidth, tabwidth, or padding");
  });
});
