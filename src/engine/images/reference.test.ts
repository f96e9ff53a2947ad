import { describe, expect, it } from "vitest";
import {
  familiarMatch,
  familiarName,
  familiarString,
  isFullIdentifier,
  isNameOnly,
  isValidDigest,
  isValidTag,
  parse,
  parseAnyReference,
  parseDockerRef,
  parseNamed,
  parseNormalizedNamed,
  parseReference,
  pathMatch,
  PatternSyntaxError,
  referenceName,
  referenceString,
  ReferenceFormatError,
  tagNameOnly,
  trimNamed,
  validateDigest,
  withDigest,
  withName,
  withTag,
  type NamedReference,
} from "./reference";

const H = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const D = `sha256:${H}`;

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof Error) return e.message;
    throw e;
  }
  throw new Error("expected an error");
}

describe("parseReference (ParseNormalizedNamed + TagNameOnly)", () => {
  const cases: Array<[string, string, string]> = [
    // input, full string, familiar string
    ["nginx", "docker.io/library/nginx:latest", "nginx:latest"],
    ["nginx:1.25", "docker.io/library/nginx:1.25", "nginx:1.25"],
    ["user/app:1", "docker.io/user/app:1", "user/app:1"],
    ["user/app", "docker.io/user/app:latest", "user/app:latest"],
    ["docker.io/nginx", "docker.io/library/nginx:latest", "nginx:latest"],
    ["docker.io/library/nginx", "docker.io/library/nginx:latest", "nginx:latest"],
    ["index.docker.io/nginx", "docker.io/library/nginx:latest", "nginx:latest"],
    ["index.docker.io/library/foo", "docker.io/library/foo:latest", "foo:latest"],
    ["docker.io/library/foo/bar", "docker.io/library/foo/bar:latest", "library/foo/bar:latest"],
    ["localhost/x", "localhost/x:latest", "localhost/x:latest"],
    ["localhost:5000/x", "localhost:5000/x:latest", "localhost:5000/x:latest"],
    ["localhost:5000/a/b:t", "localhost:5000/a/b:t", "localhost:5000/a/b:t"],
    ["127.0.0.1:5000/foo", "127.0.0.1:5000/foo:latest", "127.0.0.1:5000/foo:latest"],
    ["[::1]:5000/foo", "[::1]:5000/foo:latest", "[::1]:5000/foo:latest"],
    ["[::1]/foo", "[::1]/foo:latest", "[::1]/foo:latest"],
    ["Registry.Example.com/foo", "Registry.Example.com/foo:latest", "Registry.Example.com/foo:latest"],
    ["Localhost/foo", "Localhost/foo:latest", "Localhost/foo:latest"],
    ["Abc:5000/def", "Abc:5000/def:latest", "Abc:5000/def:latest"],
    ["example.com/foo", "example.com/foo:latest", "example.com/foo:latest"],
    // "exa_mple.com" is taken as a domain, but the grammar's host rule rejects
    // it, so Go's Parse reads the whole thing as a path with an empty domain.
    ["exa_mple.com/foo", "exa_mple.com/foo:latest", "exa_mple.com/foo:latest"],
    ["ex--ample.com/foo", "ex--ample.com/foo:latest", "ex--ample.com/foo:latest"],
    ["a:5000", "docker.io/library/a:5000", "a:5000"],
    ["foo:BAR", "docker.io/library/foo:BAR", "foo:BAR"],
    ["foo:_bar", "docker.io/library/foo:_bar", "foo:_bar"],
    ["foo:Bar_.-x", "docker.io/library/foo:Bar_.-x", "foo:Bar_.-x"],
    ["a__b", "docker.io/library/a__b:latest", "a__b:latest"],
    ["a--------b", "docker.io/library/a--------b:latest", "a--------b:latest"],
    ["a.b_c-d", "docker.io/library/a.b_c-d:latest", "a.b_c-d:latest"],
    ["foo/bar/baz/qux/quux", "docker.io/foo/bar/baz/qux/quux:latest", "foo/bar/baz/qux/quux:latest"],
    [`sha256:${H}`, `docker.io/library/sha256:${H}`, `sha256:${H}`],
    [`busybox@${D}`, `docker.io/library/busybox@${D}`, `busybox@${D}`],
    [`busybox:1.0@${D}`, `docker.io/library/busybox:1.0@${D}`, `busybox:1.0@${D}`],
    [`registry.example:443/a/b@${D}`, `registry.example:443/a/b@${D}`, `registry.example:443/a/b@${D}`],
  ];
  for (const [input, full, familiar] of cases) {
    it(`${input}`, () => {
      const ref = parseReference(input);
      expect(referenceString(ref)).toBe(full);
      expect(familiarString(ref)).toBe(familiar);
    });
  }

  it("splits domain, path, tag and digest", () => {
    expect(parseReference(`localhost:5000/a/b:t@${D}`)).toEqual({
      kind: "named",
      domain: "localhost:5000",
      path: "a/b",
      tag: "t",
      digest: D,
    });
    expect(parseReference("nginx")).toEqual({
      kind: "named",
      domain: "docker.io",
      path: "library/nginx",
      tag: "latest",
    });
  });

  it("does not add latest when a digest is present", () => {
    const ref = parseReference(`busybox@${D}`);
    expect(ref.tag).toBeUndefined();
    expect(ref.digest).toBe(D);
  });

  it("accepts sha384 and sha512 digests (Docker registers them)", () => {
    const h96 = H + H.slice(0, 32);
    expect(parseReference(`busybox@sha384:${h96}`).digest).toBe(`sha384:${h96}`);
    expect(parseReference(`busybox@sha512:${H}${H}`).digest).toBe(`sha512:${H}${H}`);
  });
});

describe("parseNormalizedNamed errors (checked against `docker pull` 28.2.2)", () => {
  const cases: Array<[string, string]> = [
    ["", "invalid reference format"],
    ["Nginx", "invalid reference format: repository name (library/Nginx) must be lowercase"],
    ["Nginx:latest", "invalid reference format: repository name (library/Nginx) must be lowercase"],
    ["LOCALHOST:5000/Foo", "invalid reference format: repository name (Foo) must be lowercase"],
    ["localhost/Foo", "invalid reference format: repository name (Foo) must be lowercase"],
    ["a/B/c", "invalid reference format: repository name (a/B/c) must be lowercase"],
    ["a.b/C", "invalid reference format: repository name (C) must be lowercase"],
    [
      `NGINX@${D}`,
      "invalid reference format: repository name (library/NGINX@sha256) must be lowercase",
    ],
    [
      `busybox@SHA256:${H}`,
      "invalid reference format: repository name (library/busybox@SHA256) must be lowercase",
    ],
    [
      H.toUpperCase(),
      `invalid reference format: repository name (library/${H.toUpperCase()}) must be lowercase`,
    ],
    [H, `invalid repository name (${H}), cannot specify 64-byte hexadecimal strings`],
    ["nginx:", "invalid reference format"],
    [":tag", "invalid reference format"],
    ["foo:.bar", "invalid reference format"],
    ["foo:-bar", "invalid reference format"],
    ["a___b", "invalid reference format"],
    ["a.-b", "invalid reference format"],
    ["a-", "invalid reference format"],
    ["a//b", "invalid reference format"],
    ["a/", "invalid reference format"],
    ["/a", "invalid reference format"],
    ["a:b/c", "invalid reference format"],
    ["abc:ABC/def", "invalid reference format"],
    ["example.com:/foo", "invalid reference format"],
    ["example.com:abc/foo", "invalid reference format"],
    ["example-.com/foo", "invalid reference format"],
    ["[fe80::1%eth0]/foo", "invalid reference format"],
    ["foo:bar:baz", "invalid reference format"],
    ["foo bar", "invalid reference format"],
    ["a@b", "invalid reference format"],
    ["nginx@sha256:", "invalid reference format"],
    ["a@sha256:abc", "invalid reference format"],
    [`foo@${D}@${D}`, "invalid reference format"],
    [`foo@${D}:x`, "invalid reference format"],
    [`busybox@sha256:${H.toUpperCase()}`, "invalid checksum digest format"],
    [`busybox:1@SHA256:${H}`, "invalid checksum digest format"],
    ["busybox@md5:0123456789abcdef0123456789abcdef", "unsupported digest algorithm"],
    [`busybox:1@sha256+b64:${H}`, "unsupported digest algorithm"],
    [`busybox:1@sha256.x:${H}`, "unsupported digest algorithm"],
    ["busybox@sha256:0123456789abcdef0123456789abcdef", "invalid checksum digest length"],
    ["busybox@sha256:0123456789ABCDEF0123456789ABCDEF", "invalid checksum digest length"],
    [`busybox:1@sha512:${H}`, "invalid checksum digest length"],
  ];
  for (const [input, message] of cases) {
    it(JSON.stringify(input.length > 60 ? input.slice(0, 60) + "…" : input), () => {
      expect(errorOf(() => parseNormalizedNamed(input))).toBe(message);
    });
  }

  it("throws ReferenceFormatError with a code", () => {
    try {
      parseNormalizedNamed("Nginx");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ReferenceFormatError);
      expect((e as ReferenceFormatError).code).toBe("name-uppercase");
    }
  });
});

describe("length limits", () => {
  const TOO_LONG = "repository name must not be more than 255 characters";
  it("counts library/ for official images (247 + 8 = 255 ok, 248 fails)", () => {
    expect(parseNormalizedNamed("b".repeat(247)).path).toHaveLength(255);
    expect(errorOf(() => parseNormalizedNamed("b".repeat(248)))).toBe(TOO_LONG);
    expect(errorOf(() => parseNormalizedNamed("a".repeat(256)))).toBe(TOO_LONG);
  });
  it("counts the namespace but not the domain", () => {
    expect(parseNormalizedNamed("a/" + "b".repeat(253)).path).toHaveLength(255);
    expect(errorOf(() => parseNormalizedNamed("a/" + "b".repeat(254)))).toBe(TOO_LONG);
    expect(parseNormalizedNamed("localhost/" + "b".repeat(255)).path).toHaveLength(255);
    expect(errorOf(() => parseNormalizedNamed("localhost/" + "b".repeat(256)))).toBe(TOO_LONG);
  });
  it("allows tags of 128 characters, not 129", () => {
    expect(parseNormalizedNamed("foo/bar:" + "a".repeat(128)).tag).toHaveLength(128);
    expect(errorOf(() => parseNormalizedNamed("foo/bar:" + "a".repeat(129)))).toBe(
      "invalid reference format",
    );
  });
  it("stays fast on long hostile input", () => {
    const start = Date.now();
    for (const s of ["a".repeat(20000) + "!", "a-".repeat(10000) + "!", "a.".repeat(10000) + "/!", "a:".repeat(5000)]) {
      expect(() => parseNormalizedNamed(s)).toThrow(ReferenceFormatError);
    }
    expect(Date.now() - start).toBeLessThan(2000);
  });
});

describe("parse (no normalization)", () => {
  it("leaves the domain empty for a bare name", () => {
    expect(parse("nginx")).toEqual({ kind: "named", domain: "", path: "nginx" });
    expect(parse("user/app:1")).toEqual({ kind: "named", domain: "user", path: "app", tag: "1" });
  });
  it("reports uppercase separately from format", () => {
    expect(errorOf(() => parse("Nginx"))).toBe("repository name must be lowercase");
    expect(errorOf(() => parse(""))).toBe("repository name must have at least one component");
    expect(errorOf(() => parse("a b"))).toBe("invalid reference format");
  });
});

describe("parseDockerRef", () => {
  it("adds latest to a bare name", () => {
    expect(referenceString(parseDockerRef("busybox"))).toBe("docker.io/library/busybox:latest");
  });
  it("drops the tag when a digest is present", () => {
    expect(referenceString(parseDockerRef(`busybox:1@${D}`))).toBe(`docker.io/library/busybox@${D}`);
  });
  it("keeps an explicit tag", () => {
    expect(referenceString(parseDockerRef("busybox:1.36"))).toBe("docker.io/library/busybox:1.36");
  });
});

describe("parseAnyReference", () => {
  it("treats a 64-hex string as an image ID", () => {
    expect(parseAnyReference(H)).toEqual({ kind: "digest", digest: D });
  });
  it("treats a valid digest as a digest", () => {
    expect(parseAnyReference(D)).toEqual({ kind: "digest", digest: D });
    expect(familiarString(parseAnyReference(D))).toBe(D);
  });
  it("parses anything else as a normalized name", () => {
    expect(referenceString(parseAnyReference("nginx"))).toBe("docker.io/library/nginx");
    expect(errorOf(() => parseAnyReference("Nginx"))).toBe(
      "invalid reference format: repository name (library/Nginx) must be lowercase",
    );
  });
});

describe("parseNamed", () => {
  it("accepts canonical names only", () => {
    expect(referenceString(parseNamed("docker.io/library/nginx:1"))).toBe("docker.io/library/nginx:1");
    expect(errorOf(() => parseNamed("nginx"))).toBe("repository name must be canonical");
  });
});

describe("familiar forms", () => {
  const name = (s: string): string => familiarName(parseNormalizedNamed(s));
  it("drops docker.io and library/ for display", () => {
    expect(name("nginx")).toBe("nginx");
    expect(name("docker.io/library/nginx")).toBe("nginx");
    expect(name("user/app")).toBe("user/app");
    expect(name("docker.io/library/a/b")).toBe("library/a/b");
    expect(name("localhost:5000/library/x")).toBe("localhost:5000/library/x");
    expect(name("quay.io/org/img")).toBe("quay.io/org/img");
  });
  it("keeps tag and digest in the familiar string", () => {
    expect(familiarString(parseNormalizedNamed("nginx"))).toBe("nginx");
    expect(familiarString(parseReference("nginx"))).toBe("nginx:latest");
    expect(familiarString(parseNormalizedNamed(`nginx:1@${D}`))).toBe(`nginx:1@${D}`);
  });
  it("gives the docker images REPOSITORY / TAG columns", () => {
    const ref = parseReference("nginx");
    expect([familiarName(ref), ref.tag]).toEqual(["nginx", "latest"]);
  });
});

describe("helpers", () => {
  const base: NamedReference = parseNormalizedNamed("nginx");
  it("referenceName", () => {
    expect(referenceName(base)).toBe("docker.io/library/nginx");
    expect(referenceName(parse("nginx"))).toBe("nginx");
  });
  it("isNameOnly / tagNameOnly", () => {
    expect(isNameOnly(base)).toBe(true);
    expect(isNameOnly(tagNameOnly(base))).toBe(false);
    expect(tagNameOnly(parseNormalizedNamed("nginx:1")).tag).toBe("1");
  });
  it("withTag validates the tag and keeps the digest", () => {
    expect(referenceString(withTag(base, "1.2"))).toBe("docker.io/library/nginx:1.2");
    expect(referenceString(withTag(withDigest(base, D), "x"))).toBe(`docker.io/library/nginx:x@${D}`);
    expect(errorOf(() => withTag(base, ".bad"))).toBe("invalid tag format");
    expect(errorOf(() => withTag(base, "a".repeat(129)))).toBe("invalid tag format");
  });
  it("withDigest validates the digest syntax", () => {
    expect(errorOf(() => withDigest(base, "sha256:abc"))).toBe("invalid digest format");
  });
  it("withName splits a full name", () => {
    expect(withName("docker.io/library/nginx")).toEqual({
      kind: "named",
      domain: "docker.io",
      path: "library/nginx",
    });
    expect(errorOf(() => withName("Bad Name"))).toBe("invalid reference format");
  });
  it("trimNamed drops tag and digest", () => {
    expect(referenceString(trimNamed(parseNormalizedNamed(`nginx:1@${D}`)))).toBe("docker.io/library/nginx");
  });
  it("isValidTag / isFullIdentifier", () => {
    expect(isValidTag("v1.0_rc-1")).toBe(true);
    expect(isValidTag("-x")).toBe(false);
    expect(isFullIdentifier(H)).toBe(true);
    expect(isFullIdentifier(H.slice(1))).toBe(false);
  });
});

describe("validateDigest (go-digest v1.0.0)", () => {
  it("accepts registered algorithms with lowercase hex of the right length", () => {
    expect(() => validateDigest(D)).not.toThrow();
    expect(isValidDigest(`sha512:${H}${H}`)).toBe(true);
  });
  it("reports format, length and algorithm problems", () => {
    expect(errorOf(() => validateDigest("sha256"))).toBe("invalid checksum digest format");
    expect(errorOf(() => validateDigest(":abc"))).toBe("invalid checksum digest format");
    expect(errorOf(() => validateDigest("sha256:"))).toBe("invalid checksum digest format");
    expect(errorOf(() => validateDigest("sha256:abc"))).toBe("invalid checksum digest length");
    expect(errorOf(() => validateDigest(`sha256:${H.toUpperCase()}`))).toBe("invalid checksum digest format");
    expect(errorOf(() => validateDigest(`md5:${H}`))).toBe("unsupported digest algorithm");
    expect(errorOf(() => validateDigest(`MD5:${H}`))).toBe("invalid checksum digest format");
  });
});

describe("pathMatch (Go path.Match)", () => {
  const cases: Array<[string, string, boolean]> = [
    ["abc", "abc", true],
    ["*", "abc", true],
    ["*c", "abc", true],
    ["a*", "a", true],
    ["a*", "abc", true],
    ["a*", "ab/c", false],
    ["a*/b", "abc/b", true],
    ["a*/b", "a/c/b", false],
    ["a*b*c*d*e*/f", "axbxcxdxe/f", true],
    ["a*b*c*d*e*/f", "axbxcxdxexxx/f", true],
    ["a*b*c*d*e*/f", "axbxcxdxe/xxx/f", false],
    ["a*b?c*x", "abxbbxdbxebxczzx", true],
    ["a*b?c*x", "abxbbxdbxebxczzy", false],
    ["ab[c]", "abc", true],
    ["ab[b-d]", "abc", true],
    ["ab[e-g]", "abc", false],
    ["ab[^c]", "abc", false],
    ["ab[^b-d]", "abc", false],
    ["ab[^e-g]", "abc", true],
    ["a\\*b", "a*b", true],
    ["a\\*b", "ab", false],
    ["a?b", "a☺b", true],
    ["a[^a]b", "a☺b", true],
    ["a???b", "a☺b", false],
    ["*x", "xxx", true],
    ["ng*", "nginx:latest", true],
    ["ng?nx", "nginx", true],
  ];
  for (const [pattern, name, want] of cases) {
    it(`${pattern} ~ ${name}`, () => expect(pathMatch(pattern, name)).toBe(want));
  }
  for (const bad of ["[", "[^", "[^bc", "a[", "[a-", "[\\", "[]a]", "[-]", "[x-]", "[-x]", "\\", "a\\", "[a-b-c]"]) {
    it(`bad pattern ${bad}`, () => {
      expect(() => pathMatch(bad, "a")).toThrow(PatternSyntaxError);
      expect(errorOf(() => pathMatch(bad, "a"))).toBe("syntax error in pattern");
    });
  }
  it("checks the rest of the pattern after a mismatch", () => {
    expect(() => pathMatch("a*b[", "x")).toThrow("syntax error in pattern");
  });
});

describe("familiarMatch", () => {
  it("matches the familiar string, then the familiar name", () => {
    const ref = parseReference("nginx:1.25");
    expect(familiarMatch("nginx:*", ref)).toBe(true);
    expect(familiarMatch("ngin?", ref)).toBe(true);
    expect(familiarMatch("ng*", ref)).toBe(true);
    expect(familiarMatch("redis", ref)).toBe(false);
    expect(familiarMatch("user/*", parseReference("user/app:1"))).toBe(true);
    expect(familiarMatch("*", parseReference("user/app:1"))).toBe(false);
  });
});
