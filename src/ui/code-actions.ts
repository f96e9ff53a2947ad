// "Run" and "Copy" on a lesson's shell snippets (```sh blocks): Run types the command
// into the learner's terminal and enters it; Copy puts it on the clipboard.
import type { Attachment } from "svelte/attachments";
import { RUNNABLE_SELECTOR } from "../lessons/markdown";
import type { Session } from "./session.svelte";

function button(label: string, cls: string, aria: string, onclick: (b: HTMLButtonElement) => void): HTMLButtonElement {
  const b = document.createElement("button");
  b.type = "button";
  b.className = cls;
  b.textContent = label;
  b.setAttribute("aria-label", aria);
  b.addEventListener("click", () => onclick(b));
  return b;
}

export function codeActions(session: Session): Attachment<HTMLElement> {
  return (root) => {
    for (const code of root.querySelectorAll<HTMLElement>(RUNNABLE_SELECTOR)) {
      const command = (code.textContent ?? "").trim();
      const pre = code.parentElement!;
      const bar = document.createElement("span");
      bar.className = "code-actions";
      bar.append(
        button("Copy", "copy", `Copy: ${command}`, (b) => {
          void navigator.clipboard?.writeText(command).then(
            () => {
              b.textContent = "Copied";
              setTimeout(() => (b.textContent = "Copy"), 1500);
            },
            () => (b.textContent = "Copy failed"),
          );
        }),
        button("Run", "run", `Run in terminal: ${command}`, () => void session.runInTerminal(command)),
      );
      pre.append(bar);
    }
  };
}
