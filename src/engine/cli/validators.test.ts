import { describe, expect, it } from "vitest";
import { errorMessage as err } from "../testing/error-message";
import { parseGoIP, validators } from "./validators";


describe("validators", () => {
  it("validators.decimal (--cpus)", () => {
    for (const ok of ["1.5", "1/2", "1e-3", "-1", "0x10", "1e3", "1_0", ".5", "5."]) {
      expect(() => validators.decimal(ok), ok).not.toThrow();
    }
    expect(err(() => validators.decimal("abc"))).toBe("failed to parse abc as a rational number");
    expect(err(() => validators.decimal(""))).toBe("failed to parse  as a rational number");
    expect(err(() => validators.decimal("inf"))).toBe("failed to parse inf as a rational number");
    expect(err(() => validators.decimal("2/0"))).toBe("failed to parse 2/0 as a rational number");
    expect(err(() => validators.decimal("0.0000000001"))).toBe("value is too precise");
  });

  it("validators.bytes reports a bad suffix as Docker 20.10 does", () => {
    expect(() => validators.bytes("1.5g")).not.toThrow();
    expect(err(() => validators.bytes("1x"))).toBe("invalid size: '1x'");
    expect(err(() => validators.bytes("1 x"))).toBe("invalid size: '1 x'");
    expect(err(() => validators.bytes("x1x"))).toBe("invalid size: 'x1x'");
    expect(err(() => validators.memSwapBytes("1bb"))).toBe("invalid size: '1bb'");
    for (const bad of [".5", "1.", "1e3", "0x10", ""]) expect(err(() => validators.bytes(bad)), bad).toBe(`invalid size: '${bad}'`);
    for (const good of ["1i", "1 ", "1KiB", "1 k", "1kb"]) expect(() => validators.bytes(good), good).not.toThrow();
    expect(err(() => validators.bytes("1.5.5"))).toBe('strconv.ParseFloat: parsing "1.5.5": invalid syntax');
    expect(() => validators.memSwapBytes("-1")).not.toThrow();
  });
});

// Parse-time rejections are checked against the real CLI in specs.test.ts
// (testdata/help-20.10.24.json); these cover what a rejection cannot show:
// the values Docker keeps.
describe("normalized values", () => {
  // Checked with `docker create --dns X` and `docker inspect` (Go 1.19 builds).
  it("parseGoIP prints addresses as Go's net.IP.String does", () => {
    const cases: Array<[string, string | undefined]> = [
      ["1.2.3.4", "1.2.3.4"],
      ["::ffff:1.2.3.4", "1.2.3.4"],
      ["2001:DB8::0:1", "2001:db8::1"],
      ["1:0:0:1:0:0:0:1", "1:0:0:1::1"],
      ["1:0:0:0:1:0:0:1", "1::1:0:0:1"],
      ["0:0:0:0:0:0:0:0", "::"],
      ["::", "::"],
      ["1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"],
      ["::1.2.3.4", "::102:304"],
      ["0001::", "1::"],
      ["0000001::", "1::"],
      ["::1.2.3.04", undefined],
      ["1:2:3:4:5:6:7:8::", undefined],
      ["1::2::3", undefined],
      ["01.2.3.4", undefined],
      ["1.2.3.256", undefined],
      ["1.2.3", undefined],
      ["fe80::1%eth0", undefined],
      ["12345::", undefined],
      ["", undefined],
    ];
    for (const [input, want] of cases) expect(parseGoIP(input), input).toBe(want);
  });

  it("keeps what the list validators return", () => {
    expect(validators.ipAddress(" ::FFFF:8.8.8.8 ")).toBe("8.8.8.8");
    expect(validators.dnsSearch(" example.com. ")).toBe("example.com");
    expect(validators.dnsSearch(".")).toBe(".");
    expect(validators.quotedString('"/x/ca.pem"')).toBe("/x/ca.pem");
    expect(validators.quotedString("'a'")).toBe("a");
    expect(validators.quotedString('"a')).toBe('"a');
    expect(validators.attach("STDIN")).toBe("stdin");
  });

  it("accepts what Docker accepts", () => {
    expect(() => validators.filter("")).not.toThrow();
    expect(() => validators.extraHost("db:host-gateway")).not.toThrow();
    expect(() => validators.extraHost("db:::1")).not.toThrow();
    expect(() => validators.sysctl("net.ipv4.ip_forward=1")).not.toThrow();
    expect(() => validators.ulimit("nofile=1024:2048")).not.toThrow();
    expect(() => validators.ulimit("core=-1")).not.toThrow();
    expect(() => validators.gpus("all")).not.toThrow();
    expect(() => validators.gpus('"device=0,1",driver=nvidia')).not.toThrow();
    expect(() => validators.mount("type=bind,src=/a,dst=/b,readonly")).not.toThrow();
    expect(() => validators.mount("type=tmpfs,target=/t,tmpfs-size=64m,tmpfs-mode=1777")).not.toThrow();
    expect(() => validators.network("my-net")).not.toThrow();
    expect(() => validators.network("name=n,alias=a,driver-opt=k=v")).not.toThrow();
    expect(() => validators.weightDevice("/dev/sda:0")).not.toThrow();
    expect(() => validators.throttleBpsDevice("/dev/sda:1mb")).not.toThrow();
    expect(() => validators.imageTag("localhost:5000/app:v1")).not.toThrow();
  });
});
