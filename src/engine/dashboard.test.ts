import { describe, expect, it } from "vitest";
import { dashboardEvent, portsText } from "./dashboard";
import { EventBus } from "./events/event-bus";

describe("portsText", () => {
  it("prints exposed and published ports as docker ps does", () => {
    expect(portsText([])).toBe("");
    expect(portsText([{ PrivatePort: 80, Type: "tcp" }])).toBe("80/tcp");
    expect(
      portsText([
        { IP: "0.0.0.0", PrivatePort: 80, PublicPort: 8080, Type: "tcp" },
        { PrivatePort: 443, Type: "tcp" },
      ]),
    ).toBe("0.0.0.0:8080->80/tcp, 443/tcp");
  });
});

describe("dashboardEvent", () => {
  it("names the container and keeps what matters of its attributes", () => {
    const e = new EventBus().emit("container", "die", "abc", { name: "web", image: "nginx", exitCode: "137" });
    expect(dashboardEvent(e)).toEqual({
      key: e.timeNano,
      time: Math.floor(e.timeNano / 1e6),
      type: "container",
      action: "die",
      id: "abc",
      subject: "web",
      detail: "nginx, exit code 137",
    });
  });

  it("falls back to the actor's ID", () => {
    const e = new EventBus().emit("image", "delete", "sha256:1234", {});
    expect(dashboardEvent(e)).toMatchObject({ subject: "sha256:1234", detail: "" });
  });
});
