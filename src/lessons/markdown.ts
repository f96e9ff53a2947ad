// Lesson text: Markdown from content/ or an instructor pack turned into safe HTML. The
// one place lessons are rendered, so every piece of lesson text goes through the
// sanitizer: raw HTML is limited to RAW_HTML_TAGS (the rest is shown as text) and the
// final HTML is filtered again.
import { Marked } from "marked";
import { sanitizeHtml, type Options } from "./sanitize";

const marked = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html({ text }) {
      return sanitizeHtml(text, { disallowed: "escape" });
    },
  },
});

export interface RenderOptions {
  /** Relative image paths resolve against this URL (the lesson's folder). */
  assetBase?: string;
}

export function renderLesson(markdown: string, options: RenderOptions = {}): string {
  return sanitizeHtml(marked.parse(markdown, { async: false }), options satisfies Options);
}

/** One paragraph's worth of Markdown (hints, quiz explanations): no block elements. */
export function renderInline(markdown: string): string {
  return sanitizeHtml(marked.parseInline(markdown, { async: false }));
}

/** Shell snippets a lesson offers to run: code blocks marked `sh`. */
export const RUNNABLE_SELECTOR = "pre > code.language-sh";
