import { describe, expect, it } from "vitest";
import { commandMatches } from "./command-match";

const argv = (line: string) => line.split(" ");

describe("commandMatches", () => {
  it("matches flags in any order and spelling", () => {
    for (const typed of ["docker run -it busybox sh", "docker run -ti busybox", "docker run -i -t --rm busybox", "docker run --tty --interactive busybox"]) {
      expect(commandMatches(argv(typed), "docker run -it"), typed).toBe(true);
    }
    expect(commandMatches(argv("docker run -i busybox"), "docker run -it")).toBe(false);
    expect(commandMatches(argv("docker run busybox -it"), "docker run -it")).toBe(false); // -it went to the container
  });

  it("treats management forms as the same command", () => {
    expect(commandMatches(argv("docker container run -d nginx"), "docker run -d")).toBe(true);
    expect(commandMatches(argv("docker image ls"), "docker images")).toBe(true);
    expect(commandMatches(argv("docker ps"), "docker run")).toBe(false);
    expect(commandMatches(argv("docker container ls -a"), "docker ps -a")).toBe(true);
  });

  it("compares flag values and leading arguments", () => {
    expect(commandMatches(argv("docker run -d --name web nginx"), "docker run --name web")).toBe(true);
    expect(commandMatches(argv("docker run -d --name web2 nginx"), "docker run --name web")).toBe(false);
    expect(commandMatches(argv("docker run -e A=1 -e B=2 busybox env"), "docker run -e B=2")).toBe(true);
    expect(commandMatches(argv("docker run -d nginx"), "docker run nginx")).toBe(true);
    expect(commandMatches(argv("docker run -d redis"), "docker run nginx")).toBe(false);
    expect(commandMatches(argv("docker rm -f web"), "docker rm web")).toBe(true);
  });

  it("takes the client's path and falls back to words for unknown commands", () => {
    expect(commandMatches(["/usr/local/bin/docker", "ps"], "docker ps")).toBe(true);
    expect(commandMatches(argv("docker swarm init"), "docker swarm init")).toBe(true);
    expect(commandMatches(argv("docker swarm leave"), "docker swarm init")).toBe(false);
    expect(commandMatches(argv("podman run -it busybox"), "docker run -it")).toBe(false);
  });
});
