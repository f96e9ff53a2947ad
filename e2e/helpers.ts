// Shared steps for the end-to-end tests: everything goes through the real page, the real
// worker and the real VM. The only hook is window.__berth.terminalText() (reads xterm).
import { expect, type Page } from "@playwright/test";

export const PROMPT = /berth:\/workspace# $/m;
/** The VM's shell, idle. */
export const SHELL_PROMPT = /^berth:\S*# $/;

export function terminalText(page: Page): Promise<string> {
  return page.evaluate(() => window.__berth?.terminalText?.() ?? "");
}

export async function waitForPrompt(page: Page, timeout = 60_000): Promise<void> {
  await expect.poll(() => terminalText(page), { timeout, message: "shell prompt" }).toMatch(PROMPT);
}

/** The shell is idle at a prompt (the last line with text is a bare prompt). */
async function waitForIdlePrompt(page: Page, timeout: number, prompt: RegExp): Promise<void> {
  await expect
    .poll(
      async () =>
        (await terminalText(page))
          .split("\n")
          .filter((l) => l.trim())
          .at(-1) ?? "",
      { timeout, message: "an idle shell prompt" },
    )
    .toMatch(prompt);
}

/**
 * Types a command into the terminal, as the learner would, and waits for `expected`. First
 * waits for `prompt` (by default the VM's shell; a container's shell has its own).
 */
export async function runInTerminal(page: Page, command: string, expected: RegExp | string, timeout = 20_000, prompt = SHELL_PROMPT): Promise<string> {
  await waitForIdlePrompt(page, timeout, prompt);
  const input = page.locator(".terminal-pane .xterm-helper-textarea");
  // Ctrl+` is the page's shortcut; inside the terminal every key belongs to the shell.
  if (!(await input.evaluate((el) => el === document.activeElement))) await page.keyboard.press("Control+Backquote");
  await expect(input).toBeFocused();
  await page.keyboard.type(command);
  await page.keyboard.press("Enter");
  let text = "";
  await expect
    .poll(
      async () => {
        text = await terminalText(page);
        return typeof expected === "string" ? text.includes(expected) : expected.test(text);
      },
      { timeout, message: `output of ${command}` },
    )
    .toBe(true);
  return text;
}

/** Opens the page and waits for the first prompt. */
export async function openBerth(page: Page): Promise<void> {
  await page.goto("/");
  await waitForPrompt(page);
}

export function unique(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
}
