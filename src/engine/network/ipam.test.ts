import { describe, expect, it } from "vitest";
import { Ipam, macFor } from "./ipam";

describe("Ipam", () => {
  it("gives the lowest free address after the gateway, and reuses released ones", () => {
    const ipam = new Ipam("172.17.0.0/16", "172.17.0.1");
    expect(ipam.allocate()).toBe("172.17.0.2");
    expect(ipam.allocate()).toBe("172.17.0.3");
    ipam.release("172.17.0.2");
    expect(ipam.allocate()).toBe("172.17.0.2");
    expect(ipam.allocate()).toBe("172.17.0.4");
  });

  it("runs out with Docker's message", () => {
    const ipam = new Ipam("10.0.0.0/30", "10.0.0.1");
    expect(ipam.allocate()).toBe("10.0.0.2");
    expect(() => ipam.allocate()).toThrow(/no available IPv4 addresses/);
  });

  it("derives the MAC from the address", () => {
    expect(macFor("172.17.0.2")).toBe("02:42:ac:11:00:02");
  });
});
