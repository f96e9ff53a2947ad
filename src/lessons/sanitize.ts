// The HTML sanitizer for lesson text. Lessons can come from any URL (instructor packs), so
// nothing they contain may run script: only allowlisted tags and attributes survive, URLs
// must be http(s), mailto or relative, and there are no event handlers, styles, frames,
// objects or inline SVG (an SVG diagram is shown through <img>, where it cannot script).
// String based, so the same code runs in the page, in Node tests and in `npm run pack`.

/** Tags the Markdown renderer produces, plus the raw HTML lessons may use. */
const TAGS = new Set([
  "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "del", "s", "code", "pre", "blockquote",
  "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "input", "kbd", "details", "summary", "sup", "sub",
]);

/** Raw HTML an author may write in lesson Markdown; any other tag is shown as text. */
export const RAW_HTML_TAGS = new Set(["kbd", "details", "summary", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "sup", "sub", "br"]);

const VOID = new Set(["br", "hr", "img", "input"]);

/** Elements whose content is never lesson text: dropped with everything inside. */
const DROP_WITH_CONTENT = new Set(["script", "style", "iframe", "object", "embed", "svg", "math", "template", "textarea", "title", "noscript", "xmp", "noembed", "noframes", "plaintext", "frameset", "frame", "applet", "select", "option"]);

type AttrRule = (value: string, ctx: Options) => string | undefined;

const ALIGN: AttrRule = (v) => (/^(left|center|right)$/.test(v) ? v : undefined);
const TEXT: AttrRule = (v) => v;
const NUMBER: AttrRule = (v) => (/^\d{1,5}$/.test(v) ? v : undefined);

const ATTRS: Record<string, Record<string, AttrRule>> = {
  a: { href: (v) => safeUrl(v, false), title: TEXT },
  img: { src: (v, o) => imageUrl(v, o), alt: TEXT, title: TEXT, width: NUMBER, height: NUMBER },
  code: { class: (v) => (/^language-[\w+-]{1,40}$/.test(v) ? v : undefined) },
  ol: { start: NUMBER },
  th: { align: ALIGN },
  td: { align: ALIGN },
  input: { type: (v) => (v === "checkbox" ? v : undefined), checked: () => "", disabled: () => "" },
  details: { open: () => "" },
};

export interface Options {
  /** Relative image paths resolve against this URL (a lesson's folder). */
  assetBase?: string;
  /**
   * "drop" (the default, for the final HTML): a disallowed tag disappears, its text stays.
   * "escape" (for raw HTML written in Markdown): a tag outside RAW_HTML_TAGS is shown as text.
   */
  disallowed?: "drop" | "escape";
}

const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0", colon: ":", tab: "\t", newline: "\n", sol: "/", lpar: "(", rpar: ")" };

/** Decodes character references as a browser would in an attribute value; undefined if one is unknown. */
function decodeEntities(s: string): string | undefined {
  let unknown = false;
  const out = s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z][a-z0-9]*);?/gi, (m, ref: string) => {
    if (ref[0] === "#") {
      const code = ref[1] === "x" || ref[1] === "X" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : "\ufffd";
    }
    const v = NAMED[ref.toLowerCase()];
    if (v === undefined) unknown = true;
    return v ?? m;
  });
  return unknown ? undefined : out;
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** http(s), mailto or a relative URL; anything else (javascript:, data:, vbscript:, …) is refused. */
export function safeUrl(raw: string, forImage: boolean): string | undefined {
  // Browsers ignore ASCII whitespace and control characters when finding the scheme.
  // eslint-disable-next-line no-control-regex
  const v = raw.replace(/[\u0000-\u0020\u007f]/g, "");
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(v)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    // "/\evil" and "\\evil" are read as other hosts by browsers; keep relative URLs plain.
    if (v.startsWith("\\") || v.startsWith("/\\")) return undefined;
    return raw.trim();
  }
  const allowed = forImage ? ["http", "https"] : ["http", "https", "mailto"];
  return allowed.includes(scheme) ? raw.trim() : undefined;
}

function imageUrl(v: string, o: Options): string | undefined {
  const url = safeUrl(v, true);
  if (url === undefined || !o.assetBase || /^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith("/")) return url;
  // The built-in course's base is a path ("/content/…"); resolve it as if on some origin.
  const dummy = "http://relative.invalid";
  try {
    const u = new URL(url, new URL(o.assetBase, dummy));
    return u.origin === dummy ? u.pathname + u.search + u.hash : u.href;
  } catch {
    return undefined;
  }
}

const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)/y;
const ATTR = /[\s/]*([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/y;

interface Tag {
  end: number;
  closing: boolean;
  name: string;
  attrs: Array<[string, string]>;
}

/** Reads the tag starting at `i`, or undefined if it is not one (then '<' is text). */
function readTag(s: string, i: number): Tag | undefined {
  TAG.lastIndex = i;
  const m = TAG.exec(s);
  if (!m) return undefined;
  let j = TAG.lastIndex;
  const attrs: Array<[string, string]> = [];
  for (;;) {
    while (j < s.length && /[\s/]/.test(s[j]!)) j++;
    if (j >= s.length) return undefined;
    if (s[j] === ">") return { end: j + 1, closing: m[1] === "/", name: m[2]!.toLowerCase(), attrs };
    ATTR.lastIndex = j;
    const a = ATTR.exec(s);
    if (!a || ATTR.lastIndex === j) return undefined;
    attrs.push([a[1]!.toLowerCase(), a[2] ?? a[3] ?? a[4] ?? ""]);
    j = ATTR.lastIndex;
  }
}

function renderTag(t: Tag, o: Options): string {
  if (t.closing) return VOID.has(t.name) ? "" : `</${t.name}>`;
  const rules = ATTRS[t.name] ?? {};
  let out = `<${t.name}`;
  const seen = new Set<string>();
  for (const [name, raw] of t.attrs) {
    const rule = rules[name];
    if (!rule || seen.has(name)) continue;
    seen.add(name);
    const decoded = decodeEntities(raw);
    if (decoded === undefined) continue;
    const v = rule(decoded, o);
    if (v === undefined) continue;
    out += v === "" && name !== "alt" && name !== "title" ? ` ${name}` : ` ${name}="${escapeHtml(v)}"`;
  }
  if (t.name === "input") {
    if (!t.attrs.some(([n, v]) => n === "type" && v === "checkbox")) return "";
    if (!seen.has("disabled")) out += " disabled";
  }
  if (t.name === "a" && /^https?:/i.test(t.attrs.find(([n]) => n === "href")?.[1]?.trim() ?? "")) out += ' rel="noopener noreferrer" target="_blank"';
  return out + ">";
}

/** Sanitizes HTML; see Options for what happens to tags outside the allowlist. */
export function sanitizeHtml(html: string, options: Options = {}): string {
  const escapeMode = options.disallowed === "escape";
  const allowed = escapeMode ? RAW_HTML_TAGS : TAGS;
  let out = "";
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf("<", i);
    if (lt < 0) {
      out += escapeText(html.slice(i));
      break;
    }
    out += escapeText(html.slice(i, lt));
    if (html.startsWith("<!--", lt)) {
      const close = html.indexOf("-->", lt + 4);
      i = close < 0 ? html.length : close + 3;
      if (escapeMode) out += escapeHtml(html.slice(lt, i));
      continue;
    }
    const tag = readTag(html, lt);
    if (!tag) {
      out += "&lt;";
      i = lt + 1;
      continue;
    }
    const raw = html.slice(lt, tag.end);
    i = tag.end;
    if (allowed.has(tag.name)) out += renderTag(tag, options);
    else if (escapeMode) out += escapeHtml(raw);
    else if (!tag.closing && DROP_WITH_CONTENT.has(tag.name)) {
      // Skip to the matching end tag (or the end): this content is never shown.
      const close = new RegExp(`</${tag.name}\\s*>`, "ig");
      close.lastIndex = i;
      const m = close.exec(html);
      i = m ? close.lastIndex : html.length;
    }
  }
  return out;
}

/** Text between tags: '<' and '>' are escaped; character references stay as written. */
function escapeText(s: string): string {
  return s.replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/&(?!(?:#x[0-9a-f]+|#[0-9]+|[a-z][a-z0-9]*);)/gi, "&amp;");
}
