// Docker image references, parsed and normalized exactly like the Go module
// github.com/distribution/reference (v0.6, as vendored by Docker 28) and the
// digest rules of github.com/opencontainers/go-digest (v1.0). Error messages
// are byte-for-byte the ones those packages produce, because the Docker CLI
// prints them verbatim (`docker pull Nginx` → "invalid reference format:
// repository name (library/Nginx) must be lowercase").

/** Registry used when a reference names none. */
export const DEFAULT_DOMAIN = "docker.io";
/** Old Docker Hub host name; normalized to DEFAULT_DOMAIN. */
export const LEGACY_DEFAULT_DOMAIN = "index.docker.io";
/** Namespace of official images on Docker Hub ("nginx" → "library/nginx"). */
export const OFFICIAL_REPO_PREFIX = "library/";
/** Tag added by tagNameOnly when a reference has neither tag nor digest. */
export const DEFAULT_TAG = "latest";
/** Longest repository path (the domain does not count). */
export const NAME_TOTAL_LENGTH_MAX = 255;

export type ReferenceErrorCode =
  | "invalid-format"
  | "name-uppercase"
  | "name-empty"
  | "name-too-long"
  | "name-not-canonical"
  | "tag-invalid"
  | "digest-invalid"
  | "digest-format"
  | "digest-length"
  | "digest-unsupported"
  | "identifier"
  | "no-name";

/** A reference that failed to parse. `message` is Docker's exact text. */
export class ReferenceFormatError extends Error {
  readonly code: ReferenceErrorCode;
  constructor(code: ReferenceErrorCode, message: string) {
    super(message);
    this.name = "ReferenceFormatError";
    this.code = code;
  }
}

/**
 * A named reference: `domain/path[:tag][@digest]`. After normalization the
 * domain is never empty; `parse` (the non-normalizing parser) may leave it "".
 */
export interface NamedReference {
  readonly kind: "named";
  readonly domain: string;
  readonly path: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** A bare content digest such as `sha256:…` (what ParseAnyReference gives for IDs). */
export interface DigestReference {
  readonly kind: "digest";
  readonly digest: string;
}

export type AnyReference = NamedReference | DigestReference;

// --- grammar (regexp.go), composed the same way so it can be compared line by line ---

const alphanumeric = "[a-z0-9]+";
const separator = "(?:[._]|__|[-]+)";
const localhost = "localhost";
const domainNameComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const optionalPort = "(?::[0-9]+)?";
const tagPat = "[\\w][\\w.-]{0,127}";
// [[:xdigit:]] in Go's syntax.
const digestPat = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9A-Fa-f]{32,}";
const identifier = "([a-f0-9]{64})";
const ipv6address = "\\[(?:[a-fA-F0-9:]+)\\]";
const domainName = domainNameComponent + anyTimes("\\." + domainNameComponent);
const host = "(?:" + domainName + "|" + ipv6address + ")";
const domainAndPort = host + optionalPort;
const pathComponent = alphanumeric + anyTimes(separator + alphanumeric);
const remoteName = pathComponent + anyTimes("/" + pathComponent);
const namePat = optional(domainAndPort + "/") + remoteName;

function optional(...res: string[]): string {
  return "(?:" + res.join("") + ")?";
}
function anyTimes(...res: string[]): string {
  return "(?:" + res.join("") + ")*";
}
function capture(...res: string[]): string {
  return "(" + res.join("") + ")";
}
function anchored(...res: string[]): RegExp {
  return new RegExp("^" + res.join("") + "$");
}

const referenceRegexp = anchored(capture(namePat), optional(":", capture(tagPat)), optional("@", capture(digestPat)));
const anchoredNameRegexp = anchored(optional(capture(domainAndPort), "/"), capture(remoteName));
const anchoredTagRegexp = anchored(tagPat);
const anchoredDigestRegexp = anchored(digestPat);
const anchoredIdentifierRegexp = anchored(identifier);

// go-digest: the algorithms Docker registers, with their hex lengths.
const DIGEST_ALGORITHMS: ReadonlyMap<string, number> = new Map([
  ["sha256", 64],
  ["sha384", 96],
  ["sha512", 128],
]);
// go-digest's DigestRegexpAnchored, used only to choose between two errors.
const goDigestRegexpAnchored = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const lowerHex = /^[a-f0-9]*$/;

const errInvalidFormat = (): ReferenceFormatError =>
  new ReferenceFormatError("invalid-format", "invalid reference format");

/**
 * Validate a digest string the way go-digest's Parse does (Docker 28 vendors
 * v1.0.0, which still reports a wrong length separately from a bad format).
 */
export function validateDigest(digest: string): void {
  const i = digest.indexOf(":");
  if (i <= 0 || i + 1 === digest.length) {
    throw new ReferenceFormatError("digest-format", "invalid checksum digest format");
  }
  const algorithm = digest.slice(0, i);
  const encoded = digest.slice(i + 1);
  const hexLength = DIGEST_ALGORITHMS.get(algorithm);
  if (hexLength === undefined) {
    if (!goDigestRegexpAnchored.test(digest)) {
      throw new ReferenceFormatError("digest-format", "invalid checksum digest format");
    }
    throw new ReferenceFormatError("digest-unsupported", "unsupported digest algorithm");
  }
  if (encoded.length !== hexLength) {
    throw new ReferenceFormatError("digest-length", "invalid checksum digest length");
  }
  if (!lowerHex.test(encoded)) {
    throw new ReferenceFormatError("digest-format", "invalid checksum digest format");
  }
}

/** True when `digest` passes validateDigest. */
export function isValidDigest(digest: string): boolean {
  try {
    validateDigest(digest);
    return true;
  } catch {
    return false;
  }
}

/** True for a full 64-character lowercase hex image/container ID. */
export function isFullIdentifier(s: string): boolean {
  return anchoredIdentifierRegexp.test(s);
}

function named(domain: string, path: string, tag?: string, digest?: string): NamedReference {
  const ref: { kind: "named"; domain: string; path: string; tag?: string; digest?: string } = {
    kind: "named",
    domain,
    path,
  };
  if (tag !== undefined && tag !== "") ref.tag = tag;
  if (digest !== undefined && digest !== "") ref.digest = digest;
  return ref;
}

/**
 * reference.Parse: syntax check without any Docker Hub normalization, so
 * "nginx" stays domain "" / path "nginx".
 */
export function parse(s: string): NamedReference {
  if (s === "") {
    throw new ReferenceFormatError("name-empty", "repository name must have at least one component");
  }
  const matches = referenceRegexp.exec(s);
  if (matches === null) {
    const lower = s.toLowerCase();
    if (lower !== s && referenceRegexp.test(lower)) {
      throw new ReferenceFormatError("name-uppercase", "repository name must be lowercase");
    }
    throw errInvalidFormat();
  }
  const name = matches[1] ?? "";
  const nameMatch = anchoredNameRegexp.exec(name);
  let domain = "";
  let path = name;
  if (nameMatch !== null) {
    domain = nameMatch[1] ?? "";
    path = nameMatch[2] ?? "";
  }
  // The limit applies to the path only (distribution/reference#9).
  if (path.length > NAME_TOTAL_LENGTH_MAX) {
    throw new ReferenceFormatError(
      "name-too-long",
      `repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`,
    );
  }
  const digest = matches[3];
  if (digest !== undefined && digest !== "") validateDigest(digest);
  return named(domain, path, matches[2], digest);
}

/** splitDockerDomain: decide whether the first path element is a registry. */
function splitDockerDomain(name: string): [string, string] {
  const slash = name.indexOf("/");
  if (slash < 0) {
    // A single element ("ubuntu", "ubuntu:22.04") is always an official image,
    // never "host:port"; Docker does the same (see its FIXME about bare hosts).
    return [DEFAULT_DOMAIN, OFFICIAL_REPO_PREFIX + name];
  }
  const maybeDomain = name.slice(0, slash);
  const maybeRemote = name.slice(slash + 1);
  let domain: string;
  let remote: string;
  if (maybeDomain === localhost) {
    [domain, remote] = [maybeDomain, maybeRemote];
  } else if (maybeDomain === LEGACY_DEFAULT_DOMAIN) {
    [domain, remote] = [DEFAULT_DOMAIN, maybeRemote];
  } else if (/[.:]/.test(maybeDomain)) {
    [domain, remote] = [maybeDomain, maybeRemote];
  } else if (maybeDomain.toLowerCase() !== maybeDomain) {
    // Namespaces cannot be uppercase, so "Localhost/x" must name a host.
    [domain, remote] = [maybeDomain, maybeRemote];
  } else {
    [domain, remote] = [DEFAULT_DOMAIN, name];
  }
  if (domain === DEFAULT_DOMAIN && !remote.includes("/")) {
    remote = OFFICIAL_REPO_PREFIX + remote;
  }
  return [domain, remote];
}

/**
 * ParseNormalizedNamed: what every docker command that takes an image name
 * uses. "nginx" → docker.io/library/nginx (no tag is added; see parseReference).
 */
export function parseNormalizedNamed(s: string): NamedReference {
  if (anchoredIdentifierRegexp.test(s)) {
    throw new ReferenceFormatError(
      "identifier",
      `invalid repository name (${s}), cannot specify 64-byte hexadecimal strings`,
    );
  }
  const [domain, remainder] = splitDockerDomain(s);
  const tagSep = remainder.indexOf(":");
  // Everything before the first ':' counts as the name here, digest included,
  // which is why Docker reports "(library/busybox@SHA256)" for an uppercase digest.
  const remote = tagSep > -1 ? remainder.slice(0, tagSep) : remainder;
  if (remote.toLowerCase() !== remote) {
    throw new ReferenceFormatError(
      "name-uppercase",
      `invalid reference format: repository name (${remote}) must be lowercase`,
    );
  }
  return parse(domain + "/" + remainder);
}

/** ParseNormalizedNamed followed by TagNameOnly: "nginx" → docker.io/library/nginx:latest. */
export function parseReference(s: string): NamedReference {
  return tagNameOnly(parseNormalizedNamed(s));
}

/**
 * ParseDockerRef: the form the daemon stores. A name with both tag and digest
 * keeps only the digest; a bare name gets ":latest".
 */
export function parseDockerRef(s: string): NamedReference {
  const ref = parseNormalizedNamed(s);
  if (ref.tag !== undefined && ref.digest !== undefined) {
    return named(ref.domain, ref.path, undefined, ref.digest);
  }
  return tagNameOnly(ref);
}

/**
 * ParseAnyReference: a 64-hex ID or an "algo:hex" digest becomes a digest
 * reference; anything else is parsed as a normalized name.
 */
export function parseAnyReference(s: string): AnyReference {
  if (anchoredIdentifierRegexp.test(s)) return { kind: "digest", digest: "sha256:" + s };
  if (isValidDigest(s)) return { kind: "digest", digest: s };
  return parseNormalizedNamed(s);
}

/** ParseNamed: accepts only an already canonical string (e.g. "docker.io/library/nginx"). */
export function parseNamed(s: string): NamedReference {
  const ref = parseNormalizedNamed(s);
  if (referenceString(ref) !== s) {
    throw new ReferenceFormatError("name-not-canonical", "repository name must be canonical");
  }
  return ref;
}

/** True when the reference has neither tag nor digest. */
export function isNameOnly(ref: NamedReference): boolean {
  return ref.tag === undefined && ref.digest === undefined;
}

/** TagNameOnly: add ":latest" to a reference that has neither tag nor digest. */
export function tagNameOnly(ref: NamedReference): NamedReference {
  return isNameOnly(ref) ? named(ref.domain, ref.path, DEFAULT_TAG) : ref;
}

/** WithName: a bare repository from a full name such as "docker.io/library/nginx". */
export function withName(name: string): NamedReference {
  const match = anchoredNameRegexp.exec(name);
  if (match === null) throw errInvalidFormat();
  const path = match[2] ?? "";
  if (path.length > NAME_TOTAL_LENGTH_MAX) {
    throw new ReferenceFormatError(
      "name-too-long",
      `repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`,
    );
  }
  return named(match[1] ?? "", path);
}

/** WithTag: replace the tag (a digest, if present, is kept). */
export function withTag(ref: NamedReference, tag: string): NamedReference {
  if (!anchoredTagRegexp.test(tag)) {
    throw new ReferenceFormatError("tag-invalid", "invalid tag format");
  }
  return named(ref.domain, ref.path, tag, ref.digest);
}

/** WithDigest: replace the digest (a tag, if present, is kept). */
export function withDigest(ref: NamedReference, digest: string): NamedReference {
  if (!anchoredDigestRegexp.test(digest)) {
    throw new ReferenceFormatError("digest-invalid", "invalid digest format");
  }
  return named(ref.domain, ref.path, ref.tag, digest);
}

/** TrimNamed: drop tag and digest. */
export function trimNamed(ref: NamedReference): NamedReference {
  return named(ref.domain, ref.path);
}

/** True when `tag` is a syntactically valid tag (at most 128 characters). */
export function isValidTag(tag: string): boolean {
  return anchoredTagRegexp.test(tag);
}

/** Name(): "docker.io/library/nginx". */
export function referenceName(ref: NamedReference): string {
  return ref.domain === "" ? ref.path : ref.domain + "/" + ref.path;
}

/** String(): the fully qualified form, "docker.io/library/nginx:latest". */
export function referenceString(ref: AnyReference): string {
  if (ref.kind === "digest") return ref.digest;
  let s = referenceName(ref);
  if (ref.tag !== undefined) s += ":" + ref.tag;
  if (ref.digest !== undefined) s += "@" + ref.digest;
  return s;
}

function familiarize(ref: NamedReference): NamedReference {
  if (ref.domain !== DEFAULT_DOMAIN) return ref;
  let path = ref.path;
  if (path.startsWith(OFFICIAL_REPO_PREFIX)) {
    const rest = path.slice(OFFICIAL_REPO_PREFIX.length);
    // "library/a/b" is not an official image, so it keeps its prefix.
    if (!rest.includes("/")) path = rest;
  }
  return named("", path, ref.tag, ref.digest);
}

/** FamiliarName: what `docker images` shows as REPOSITORY ("nginx", "user/app", "localhost:5000/x"). */
export function familiarName(ref: NamedReference): string {
  return referenceName(familiarize(ref));
}

/** FamiliarString: the short display form, "nginx:latest", "user/app@sha256:…". */
export function familiarString(ref: AnyReference): string {
  if (ref.kind === "digest") return ref.digest;
  return referenceString(familiarize(ref));
}

/**
 * FamiliarMatch: shell-pattern match against the familiar string, then the
 * familiar name (how `docker images 'ng*'` filters). Throws on a bad pattern
 * with Go's "syntax error in pattern".
 */
export function familiarMatch(pattern: string, ref: AnyReference): boolean {
  let matched = pathMatch(pattern, familiarString(ref));
  if (ref.kind === "named" && !matched) {
    try {
      matched = pathMatch(pattern, familiarName(ref));
    } catch {
      // Go ignores the second error; the first call already reported it.
      matched = false;
    }
  }
  return matched;
}

/** Go's path.Match error. */
export class PatternSyntaxError extends Error {
  constructor() {
    super("syntax error in pattern");
    this.name = "PatternSyntaxError";
  }
}

/** Go's path.Match ('*', '?', '[a-z]', '[^x]', '\\' escapes; '*' never crosses '/'). */
export function pathMatch(pattern: string, name: string): boolean {
  let pat = Array.from(pattern);
  let str = Array.from(name);
  patternLoop: while (pat.length > 0) {
    const { star, chunk, rest } = scanChunk(pat);
    pat = rest;
    if (star && chunk.length === 0) return !str.includes("/");
    const first = matchChunk(chunk, str);
    if (first.ok && (first.rest.length === 0 || pat.length > 0)) {
      str = first.rest;
      continue;
    }
    if (star) {
      for (let i = 0; i < str.length && str[i] !== "/"; i++) {
        const m = matchChunk(chunk, str.slice(i + 1));
        if (m.ok) {
          if (pat.length === 0 && m.rest.length > 0) continue;
          str = m.rest;
          continue patternLoop;
        }
      }
    }
    // Like Go, report a malformed remainder even when the match has failed.
    while (pat.length > 0) {
      const next = scanChunk(pat);
      pat = next.rest;
      matchChunk(next.chunk, []);
    }
    return false;
  }
  return str.length === 0;
}

function scanChunk(pattern: string[]): { star: boolean; chunk: string[]; rest: string[] } {
  let start = 0;
  let star = false;
  while (start < pattern.length && pattern[start] === "*") {
    start++;
    star = true;
  }
  const p = pattern.slice(start);
  let inRange = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === "\\") {
      if (i + 1 < p.length) i++;
    } else if (c === "[") {
      inRange = true;
    } else if (c === "]") {
      inRange = false;
    } else if (c === "*" && !inRange) {
      return { star, chunk: p.slice(0, i), rest: p.slice(i) };
    }
  }
  return { star, chunk: p, rest: [] };
}

function matchChunk(chunkIn: string[], sIn: string[]): { ok: boolean; rest: string[] } {
  let chunk = chunkIn;
  let s = sIn;
  let failed = false;
  while (chunk.length > 0) {
    if (!failed && s.length === 0) failed = true;
    const c = chunk[0];
    if (c === "[") {
      let r = "";
      if (!failed) {
        r = s[0] ?? "";
        s = s.slice(1);
      }
      chunk = chunk.slice(1);
      let negated = false;
      if (chunk[0] === "^") {
        negated = true;
        chunk = chunk.slice(1);
      }
      let match = false;
      let nrange = 0;
      for (;;) {
        if (chunk.length > 0 && chunk[0] === "]" && nrange > 0) {
          chunk = chunk.slice(1);
          break;
        }
        const lo = getEsc(chunk);
        chunk = lo.rest;
        let hi = lo.char;
        if (chunk[0] === "-") {
          const h = getEsc(chunk.slice(1));
          chunk = h.rest;
          hi = h.char;
        }
        const rc = r.codePointAt(0) ?? -1;
        if ((lo.char.codePointAt(0) ?? 0) <= rc && rc <= (hi.codePointAt(0) ?? 0)) match = true;
        nrange++;
      }
      if (match === negated) failed = true;
    } else if (c === "?") {
      if (!failed) {
        if (s[0] === "/") failed = true;
        s = s.slice(1);
      }
      chunk = chunk.slice(1);
    } else {
      if (c === "\\") {
        chunk = chunk.slice(1);
        if (chunk.length === 0) throw new PatternSyntaxError();
      }
      if (!failed) {
        if (chunk[0] !== s[0]) failed = true;
        s = s.slice(1);
      }
      chunk = chunk.slice(1);
    }
  }
  return failed ? { ok: false, rest: [] } : { ok: true, rest: s };
}

function getEsc(chunkIn: string[]): { char: string; rest: string[] } {
  let chunk = chunkIn;
  if (chunk.length === 0 || chunk[0] === "-" || chunk[0] === "]") throw new PatternSyntaxError();
  if (chunk[0] === "\\") {
    chunk = chunk.slice(1);
    if (chunk.length === 0) throw new PatternSyntaxError();
  }
  const char = chunk[0] ?? "";
  const rest = chunk.slice(1);
  // A class must be closed: running out of pattern here is malformed.
  if (rest.length === 0) throw new PatternSyntaxError();
  return { char, rest };
}
