// Lesson text: Markdown from content/ turned into HTML. The one place lessons are
// rendered, so the sanitizing that instructor packs need (they can come from any URL)
// has a single home when packs arrive.
import { Marked } from "marked";

const marked = new Marked({ gfm: true, async: false });

export function renderLesson(markdown: string): string {
  return marked.parse(markdown, { async: false });
}

/** Shell snippets a lesson offers to run: code blocks marked `sh`. */
export const RUNNABLE_SELECTOR = "pre > code.language-sh";
