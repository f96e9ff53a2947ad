import { expect, test, type Page } from "@playwright/test";
import { openBerth, runInTerminal, terminalText, unique, waitForPrompt } from "./helpers";

const tree = (page: Page) => page.getByRole("tree", { name: "Workspace files" });
const treeItem = (page: Page, name: string) => tree(page).getByRole("treeitem", { name, exact: true });
const editorText = (page: Page) => page.locator(".editor-pane .view-lines");

/** Types into Monaco and waits until the workspace reports the file saved. */
async function typeInEditor(page: Page, text: string, replaceAll = false): Promise<void> {
  const editor = page.locator(".editor-pane .monaco-editor");
  await expect(editor).toBeVisible();
  await editor.click();
  if (replaceAll) await page.keyboard.press("Control+A");
  await page.keyboard.type(text);
  await page.keyboard.press("Control+S");
  await expect(page.getByTestId("save-state")).toHaveAttribute("data-state", "saved");
}

test("the page loads, the VM restores and a shell prompt appears", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  await openBerth(page);
  await expect(page.getByTestId("vm-status")).toHaveAttribute("data-state", "ready");
  await expect(page.getByRole("heading", { name: "Welcome to Berth" })).toBeVisible();
  await expect(treeItem(page, "README.md")).toBeVisible();
  await expect(treeItem(page, "hello.sh")).toBeVisible();
  // Let Monaco settle so the screenshot shows the finished page.
  await expect(editorText(page)).toContainText("Your workspace");
  await page.screenshot({ path: "test-results/loaded.png" });
  const before = await page.locator("html").getAttribute("data-theme");
  await page.getByRole("button", { name: /Switch to (light|dark) theme/ }).click();
  await expect(page.locator("html")).not.toHaveAttribute("data-theme", before ?? "");
  // Monaco recolours its tokens on the next frames.
  await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
  await page.screenshot({ path: "test-results/loaded-other-theme.png" });
  expect(errors).toEqual([]);
});

test("uname -a reports the guest kernel", async ({ page }) => {
  await openBerth(page);
  const text = await runInTerminal(page, "uname -a", /Linux berth 6\.1\.\S+ .*i686/);
  expect(text).toMatch(/Linux berth 6\.1\.\S+ .*i686/);
  // The pty follows the pane: the shell sees as many rows as xterm draws.
  const out = await runInTerminal(page, "stty size", /stty size\s*\n\d+ \d+/);
  const [, rows, cols] = /stty size\s*\n(\d+) (\d+)/.exec(out)!;
  await expect(page.locator(".terminal-pane .xterm-rows > div")).toHaveCount(Number(rows));
  expect(Number(cols)).toBeGreaterThan(40);
});

test("text saved in the editor is what cat prints in the terminal", async ({ page }) => {
  await openBerth(page);
  const name = `${unique("note")}.txt`;
  const body = unique("hello from the editor");
  await page.getByRole("button", { name: "New file" }).click();
  await page.getByRole("textbox", { name: "New file name" }).fill(name);
  await page.keyboard.press("Enter");
  await expect(treeItem(page, name)).toHaveAttribute("aria-selected", "true");
  await typeInEditor(page, body);
  await runInTerminal(page, `cat ${name}`, new RegExp(`cat ${name}\\s*\\n${body}`));
});

test("a file written in the terminal shows up in the tree and the editor", async ({ page }) => {
  await openBerth(page);
  const name = `${unique("from-shell")}.txt`;
  const body = unique("written by the VM");
  await runInTerminal(page, `echo ${body} > ${name}; echo done`, /^done$/m);
  await expect(treeItem(page, name)).toBeVisible();
  await treeItem(page, name).click();
  await expect(editorText(page)).toContainText(body);
  // An open, unmodified buffer follows later changes from the VM.
  const more = unique("appended");
  await runInTerminal(page, `echo ${more} >> ${name}; echo done2`, /^done2$/m);
  await expect(editorText(page)).toContainText(more);
});

test("edits survive a reload", async ({ page }) => {
  await openBerth(page);
  const edited = unique("edited README");
  await treeItem(page, "README.md").click();
  await expect(editorText(page)).toContainText("Your workspace");
  await typeInEditor(page, edited, true);
  const shellFile = `${unique("kept")}.txt`;
  await runInTerminal(page, `echo persisted > ${shellFile}; echo ok`, /^ok$/m);
  await expect(treeItem(page, shellFile)).toBeVisible();

  await page.reload();
  await waitForPrompt(page);
  await expect(treeItem(page, shellFile)).toBeVisible();
  const text = await runInTerminal(page, `cat README.md ${shellFile}`, new RegExp(`${edited}\\s*persisted`));
  expect(text).toContain(edited);
  await treeItem(page, "README.md").click();
  await expect(editorText(page)).toContainText(edited);
  expect(await terminalText(page)).not.toContain("could not start a shell");
});

test("a hung VM shows a banner, and Restart brings it back with the files", async ({ page }) => {
  await openBerth(page);
  const body = unique("survives");
  // `halt -f` stops the guest CPU: to the host that is exactly a hang.
  await runInTerminal(page, `echo ${body} > keep.txt; halt -f`, /halt -f/);
  const halted = Date.now();
  const banner = page.getByRole("alert").filter({ hasText: "The VM stopped" });
  // The bound: the page notices within 5 s (plus a moment to render).
  await expect(banner).toBeVisible({ timeout: 7_000 });
  expect(Date.now() - halted).toBeLessThan(7_000);
  await expect(page.getByTestId("vm-status")).toHaveAttribute("data-state", "crashed");
  await banner.getByRole("button", { name: "Restart VM" }).click();
  await expect(banner).toBeHidden({ timeout: 30_000 });
  await expect(page.getByTestId("vm-status")).toHaveAttribute("data-state", "ready");
  await runInTerminal(page, "cat keep.txt", new RegExp(`cat keep.txt\\s*\\n${body}`));
});

test("the tree renames (F2) and deletes (Delete) files in the VM, from the keyboard", async ({ page }) => {
  await openBerth(page);
  const name = `${unique("old")}.txt`;
  const renamed = `${unique("new")}.txt`;
  await runInTerminal(page, `echo data > ${name}; echo made`, /^made$/m);
  await treeItem(page, name).click();
  await treeItem(page, name).press("F2");
  const input = page.getByRole("textbox", { name: `Rename ${name}` });
  await input.fill(renamed);
  await input.press("Enter");
  await expect(treeItem(page, renamed)).toBeVisible();
  await runInTerminal(page, `cat ${renamed}; ls ${name} 2>&1 | grep -c 'No such'`, /data\s*\n1\s*$/m);

  await treeItem(page, renamed).press("Delete");
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  await expect(treeItem(page, renamed)).toBeHidden();
  await runInTerminal(page, `ls ${renamed} 2>&1 | grep -c 'No such'`, /^1$/m);
});
