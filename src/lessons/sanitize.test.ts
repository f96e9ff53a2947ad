import { describe, expect, it } from "vitest";
import { renderInline, renderLesson } from "./markdown";
import { safeUrl, sanitizeHtml } from "./sanitize";

/** Nothing that could run script is left in the HTML. */
function assertInert(html: string): void {
  expect(html).not.toMatch(/<\s*(script|style|iframe|object|embed|svg|math|form|base|meta|link|frame)/i);
  expect(html).not.toMatch(/<[^>]*\son[a-z]+\s*=/i);
  expect(html).not.toMatch(/<[^>]*(href|src)\s*=\s*"\s*(javascript|data|vbscript)/i);
  expect(html).not.toMatch(/<[^>]*\sstyle\s*=/i);
}

describe("sanitizeHtml", () => {
  const hostile = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//x/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"javascript:alert(1)\">",
    "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
    "<a href=\"javascript&colon;alert(1)\">x</a>",
    "<a href=\" JaVaScRiPt:alert(1)\">x</a>",
    "<a href=\"&#106;avascript:alert(1)\">x</a>",
    "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
    "<a href='vbscript:x'>x</a>",
    "<iframe src=\"https://x\"></iframe>",
    "<object data=x></object><embed src=x>",
    "<svg onload=alert(1)><circle/></svg>",
    "<math><mi xlink:href=\"javascript:x\">x</mi></math>",
    "<div style=\"background:url(javascript:x)\">x</div>",
    "<p onclick=\"x\" onmouseover='y'>t</p>",
    "<style>body{display:none}</style>",
    "<form action=x><input type=text onfocus=x autofocus></form>",
    "<scr<script>ipt>alert(1)</script>",
    "<img src=x onerror=alert(1)//",
    "<a href=x\nonmouseover=alert(1)>x</a>",
    "<base href=\"https://evil/\"><meta http-equiv=refresh content=0;url=x><link rel=import href=x>",
    "<details open ontoggle=alert(1)><summary>s</summary></details>",
  ];
  it.each(hostile)("neutralizes %s", (h) => {
    assertInert(sanitizeHtml(h));
    assertInert(sanitizeHtml(h, { disallowed: "escape" }));
  });

  it("keeps the allowlisted structure", () => {
    expect(sanitizeHtml('<p>a <strong>b</strong> <a href="https://docs.docker.com/" title="t">c</a></p>')).toBe(
      '<p>a <strong>b</strong> <a href="https://docs.docker.com/" title="t" rel="noopener noreferrer" target="_blank">c</a></p>',
    );
    expect(sanitizeHtml('<pre><code class="language-sh">ls &lt;x&gt;</code></pre>')).toBe('<pre><code class="language-sh">ls &lt;x&gt;</code></pre>');
    expect(sanitizeHtml('<a href="mailto:a@b.c">m</a><a href="../l02/">r</a>')).toBe('<a href="mailto:a@b.c">m</a><a href="../l02/">r</a>');
    expect(sanitizeHtml('<input type="checkbox" checked>')).toBe('<input type="checkbox" checked disabled>');
  });

  it("drops dangerous elements with their content and keeps text of unknown ones", () => {
    expect(sanitizeHtml("a<script>alert(1)</script>b<div>c</div><svg><text>t</text></svg>")).toBe("abc");
  });

  it("shows raw HTML outside the allowlist as text in escape mode", () => {
    expect(sanitizeHtml("<kbd>Ctrl</kbd><div onclick=x>hi</div>", { disallowed: "escape" })).toBe("<kbd>Ctrl</kbd>&lt;div onclick=x&gt;hi&lt;/div&gt;");
  });

  it("resolves relative images against the lesson folder", () => {
    expect(sanitizeHtml('<img src="diagram.svg" alt="d">', { assetBase: "https://packs.example/p/a/l01/" })).toBe(
      '<img src="https://packs.example/p/a/l01/diagram.svg" alt="d">',
    );
    expect(sanitizeHtml('<img src="data:image/svg+xml;base64,PHN2Zz4=">')).toBe("<img>");
  });

  it("accepts only http, https, mailto and relative URLs", () => {
    expect(safeUrl("https://x", false)).toBe("https://x");
    expect(safeUrl("#top", false)).toBe("#top");
    expect(safeUrl("mailto:x@y", true)).toBeUndefined();
    expect(safeUrl("file:///etc/passwd", false)).toBeUndefined();
    expect(safeUrl("/\\evil.example", false)).toBeUndefined();
  });
});

describe("renderLesson", () => {
  it("keeps GFM tables, task lists and the raw HTML lessons may use", () => {
    const html = renderLesson("| a | b |\n|:-:|--|\n| 1 | 2 |\n\n- [x] done\n\nPress <kbd>Ctrl</kbd>+<kbd>C</kbd>, x<sup>2</sup>\n\n<details><summary>More</summary>\n\nHidden\n\n</details>\n");
    expect(html).toContain('<th align="center">a</th>');
    expect(html).toContain('<input checked disabled type="checkbox">');
    expect(html).toContain("<kbd>Ctrl</kbd>+<kbd>C</kbd>, x<sup>2</sup>");
    expect(html).toContain("<details><summary>More</summary>");
  });

  it("renders a hostile lesson inert", () => {
    const html = renderLesson(
      [
        "<script>window.pwned = 1</script>",
        "<img src=x onerror=alert(1)>",
        "[click](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=)",
        "![x](javascript:alert(1))",
        "<iframe src=https://evil.example></iframe>",
        "<a href=x onclick=alert(1)>a</a>",
        "Text <span style=color:red onmouseover=x>span</span>",
        "```html\n<script>not run</script>\n```",
      ].join("\n\n"),
      { assetBase: "/content/a/l/" },
    );
    assertInert(html);
    // Raw tags outside the allowlist are visible as text, so an author sees what happened.
    expect(html).toContain("&lt;script&gt;window.pwned = 1&lt;/script&gt;");
    expect(html).toContain("<code class=\"language-html\">&lt;script&gt;not run&lt;/script&gt;");
  });

  it("resolves lesson images and renders inline text", () => {
    expect(renderLesson("![layers](layers.svg)", { assetBase: "/content/a/l02/" })).toBe('<p><img src="/content/a/l02/layers.svg" alt="layers"></p>\n');
    expect(renderLesson("![layers](layers.svg)", { assetBase: "https://x/content/a/l02/" })).toBe('<p><img src="https://x/content/a/l02/layers.svg" alt="layers"></p>\n');
    expect(renderInline("Use `docker ps -a` <img src=x onerror=y>")).toBe("Use <code>docker ps -a</code> &lt;img src=x onerror=y&gt;");
  });
});
