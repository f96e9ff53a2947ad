import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderLesson, RUNNABLE_SELECTOR } from "./markdown";

describe("renderLesson", () => {
  it("marks shell snippets so the page can offer Run", () => {
    const html = renderLesson("Try it:\n\n```sh\nuname -a\n```\n");
    expect(html).toContain('<pre><code class="language-sh">uname -a\n</code></pre>');
    expect(RUNNABLE_SELECTOR).toBe("pre > code.language-sh");
  });

  it("renders the welcome lesson with its runnable commands", () => {
    const html = renderLesson(readFileSync(new URL("../../content/welcome.md", import.meta.url), "utf8"));
    expect(html).toMatch(/<h1[^>]*>Welcome to Berth<\/h1>/);
    expect(html.match(/class="language-sh"/g)?.length).toBeGreaterThanOrEqual(3);
  });
});
