// Expected values were taken from `docker commit -c …` against dockerd 20.10.24.
import { describe, expect, it } from "vitest";
import type { ContainerConfig } from "../api-types";
import { applyChanges, ChangeError, expandWord, mergeCommitConfig } from "./changes";

const base = { Cmd: ["sh", "-c", "true"], Env: ["PATH=/bin"], Labels: {}, WorkingDir: "" };
const apply = (...changes: string[]) => applyChanges(base, changes);
const fails = (change: string) => {
  try {
    apply(change);
  } catch (e) {
    expect(e).toBeInstanceOf(ChangeError);
    return (e as Error).message;
  }
  throw new Error(`${change} was accepted`);
};

describe("commit --change", () => {
  it("applies each instruction as dockerd does", () => {
    expect(apply('ENV A="x y" B=${A}z C=$NOPE').Env).toEqual(["PATH=/bin", "A=x y", "B=z", "C="]);
    expect(apply("ENV X 1 2").Env).toEqual(["PATH=/bin", "X=1 2"]);
    expect(apply("ENV PATH=/usr/bin:$PATH").Env).toEqual(["PATH=/usr/bin:/bin"]);
    expect(apply("EXPOSE 80 90-91/udp").ExposedPorts).toEqual({ "80/tcp": {}, "90/udp": {}, "91/udp": {} });
    expect(apply("WORKDIR rel").WorkingDir).toBe("/rel");
    expect(apply("WORKDIR /a", "WORKDIR b/../c").WorkingDir).toBe("/a/c");
    expect(apply("ONBUILD run echo hi").OnBuild).toEqual(["run echo hi"]);
    expect(apply("VOLUME /a /b").Volumes).toEqual({ "/a": {}, "/b": {} });
    expect(apply('VOLUME ["/c"]').Volumes).toEqual({ "/c": {} });
    expect(apply("CMD echo $HOME").Cmd).toEqual(["/bin/sh", "-c", "echo $HOME"]);
    expect(apply("CMD").Cmd).toEqual(["/bin/sh", "-c"]);
    expect(apply('CMD ["echo","hi"]').Cmd).toEqual(["echo", "hi"]);
    expect(apply('LABEL "a b"=c d=e').Labels).toEqual({ "a b": "c", d: "e" });
    expect(apply("USER nobody").User).toBe("nobody");
    expect(apply("HEALTHCHECK NONE").Healthcheck).toEqual({ Test: ["NONE"] });
  });

  it("drops an inherited CMD with ENTRYPOINT, unless CMD is set too", () => {
    expect(apply('ENTRYPOINT ["e"]')).toMatchObject({ Entrypoint: ["e"], Cmd: null });
    expect(apply('CMD ["x"]', 'ENTRYPOINT ["e"]')).toMatchObject({ Entrypoint: ["e"], Cmd: ["x"] });
  });

  it("rejects what dockerd rejects, with its words", () => {
    expect(fails("ENV A")).toBe("ENV must have two arguments");
    expect(fails("ENV")).toBe("ENV requires at least one argument");
    expect(fails("STOPSIGNAL SIGINT")).toBe("stopsignal is not a valid change command");
    expect(fails("RUN ls")).toBe("run is not a valid change command");
    expect(fails("FOO bar")).toBe("foo is not a valid change command");
    expect(fails("EXPOSE abc")).toBe("Invalid containerPort: abc");
    expect(fails("LABEL a")).toBe("LABEL must have two arguments");
    expect(fails("ONBUILD ONBUILD RUN x")).toBe("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
    expect(fails("ONBUILD FROM x")).toBe("FROM isn't allowed as an ONBUILD trigger");
    expect(fails("VOLUME")).toBe("VOLUME requires at least one argument");
    expect(fails("WORKDIR")).toBe("WORKDIR requires exactly one argument");
    expect(fails("USER")).toBe("USER requires exactly one argument");
  });

  it("merges what the changes left empty from the container's config", () => {
    const container: Partial<ContainerConfig> = { Cmd: ["sh"], Env: ["PATH=/bin", "A=1"], Labels: { l: "1" }, ExposedPorts: { "80/tcp": {} }, User: "u", WorkingDir: "/w" };
    const merged = mergeCommitConfig(applyChanges(container, ['ENTRYPOINT ["e"]', "ENV A=2"]), container);
    expect(merged.Cmd).toBeNull();
    expect(merged.Env).toEqual(["PATH=/bin", "A=2"]);
    expect(merged.Labels).toEqual({ l: "1" });
    expect(merged.User).toBe("u");
    expect(merged.WorkingDir).toBe("/w");
    expect(mergeCommitConfig({}, container)).toMatchObject({ Cmd: ["sh"], Labels: { l: "1" } });
    expect(mergeCommitConfig({}, {}).Labels).toEqual({});
  });

  it("expands words like the builder's shell lexer", () => {
    const env = ["A=1", "E="];
    expect(expandWord("'$A'", env)).toBe("$A");
    expect(expandWord('"$A b"', env)).toBe("1 b");
    expect(expandWord("${A:-x}${E:-y}${E:+z}${A:+w}", env)).toBe("1yw");
    expect(expandWord("a\\ b\\$A", env)).toBe("a b$A");
  });
});
