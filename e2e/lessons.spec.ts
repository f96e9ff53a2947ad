// L01 is completed through the page alone: Run on each of its commands, then Check.
// Instructor packs are untrusted: a hostile pack (script tags, javascript: links, event
// handler attributes, a scripted SVG) renders inert, and a broken one (bad front matter)
// gets a clear error while the built-in course stays usable. The packs are served by the
// Vite preview server itself (it reads dist/ on every request), so nothing leaves loopback.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test, type Page } from "@playwright/test";
import { openBerth, terminalText } from "./helpers";

const DIST = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");
const ROOT = join(DIST, "__e2e_packs__");

const QUIZ = `quiz:
  - { q: "<img src=x onerror=window.__pwned='quiz'>Q1", choices: ["<b onmouseover=x>a</b>", b], answer: 0, explain: "<img src=x onerror=window.__pwned='explain'> [x](javascript:window.__pwned='explain-link')" }
  - { q: Q2, choices: [a, b], answer: 1, explain: E }
  - { q: Q3, choices: [a, b], answer: 0, explain: E }
`;

const HOSTILE_BODY = `
# Evil lesson

<script>window.__pwned = "script"</script>

<img src="evil.svg" onerror="window.__pwned = 'onerror'">

<svg onload="window.__pwned = 'svg'"><circle r="5"/></svg>

<iframe src="javascript:window.__pwned='iframe'"></iframe>

<a href="javascript:window.__pwned='raw-link'" id="raw-link">raw link</a>

[markdown link](javascript:window.__pwned='md-link')

[entity link](jav&#x61;script:window.__pwned='entity-link')

![scripted svg](evil.svg)

<details open ontoggle="window.__pwned='toggle'"><summary>More</summary>Inside</details>

\`\`\`sh
echo harmless
\`\`\`
`;

const EVIL_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40" onload="parent.__pwned='svg-img'"><script>parent.__pwned='svg-script'</script><rect width="40" height="40" fill="red"/></svg>`;

function lesson(frontMatter: string, body: string): string {
  return `---\n${frontMatter}---\n${body}`;
}

function writePack(name: string, files: Record<string, string>, assets: Record<string, string> = {}): string {
  const dir = join(ROOT, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "pack.json"), JSON.stringify({ format: "berth-pack", version: 1, title: `${name} pack`, files, assets: Object.keys(assets) }));
  for (const [path, text] of Object.entries(assets)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return `/__e2e_packs__/${name}/pack.json`;
}

const COURSE = "- { id: p1, title: \"<script>window.__pwned='part'</script>Part\", lessons: [l01-evil] }\n";

test.beforeAll(() => {
  writePack(
    "hostile",
    {
      "course.yaml": COURSE,
      "welcome.md": "# Hostile welcome\n\n<script>window.__pwned='welcome'</script>\n",
      "p1/l01-evil/lesson.md": lesson(
        `title: "Evil <img src=x onerror=window.__pwned='title'>"
goal: "<script>window.__pwned='goal'</script>Stay safe."
minutes: 5
steps:
  - id: one
    title: "<img src=x onerror=window.__pwned='step'>Step"
    checks: [{ ran: { command: docker ps }, hint: "<img src=x onerror=window.__pwned='hint'>" }]
    hints: ["<script>window.__pwned='hint2'</script> [h](javascript:window.__pwned='hint-link')"]
    solution: ["docker ps"]
${QUIZ}`,
        HOSTILE_BODY,
      ),
    },
    { "p1/l01-evil/evil.svg": EVIL_SVG },
  );
  writePack("broken", {
    "course.yaml": COURSE,
    "p1/l01-evil/lesson.md": lesson(`title: Broken\ngoal: G.\nminutes: [1\nsteps: []\n`, "# Broken\n"),
  });
  writePack("wrong-field", {
    "course.yaml": COURSE,
    "p1/l01-evil/lesson.md": lesson(
      `title: T\ngoal: G.\nminutes: 5\nsteps:\n  - id: s\n    title: S\n    checks: [{ container: { state: stopped } }]\n    solution: [x]\n${QUIZ}`,
      "# T\n",
    ),
  });
});

test.afterAll(() => rmSync(ROOT, { recursive: true, force: true }));

/** Records anything a hostile page could do: dialogs, the window flag, page errors. */
async function watch(page: Page): Promise<{ dialogs: string[]; errors: string[] }> {
  const seen = { dialogs: [] as string[], errors: [] as string[] };
  page.on("dialog", (d) => {
    seen.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on("pageerror", (e) => seen.errors.push(e.message));
  return seen;
}

const pwned = (page: Page) => page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned ?? null);

test("a hostile pack renders inert", async ({ page }) => {
  const seen = await watch(page);
  await page.goto(`/?pack=${encodeURIComponent("/__e2e_packs__/hostile/pack.json")}`);
  await expect(page.getByText("Instructor pack:")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Hostile welcome" })).toBeVisible();
  // Front-matter text is shown as text, never parsed as HTML.
  const link = page.getByRole("link", { name: /Evil <img src=x onerror/ });
  await expect(link).toBeVisible();
  await link.click();
  await expect(page.getByRole("heading", { name: "Evil lesson" })).toBeVisible();
  const prose = page.locator(".lesson-view .prose");
  // Raw HTML outside the allowlist is visible as text, so the author sees what happened.
  await expect(prose).toContainText('<script>window.__pwned = "script"</script>');
  expect(await prose.locator("script, iframe, svg, object, embed, [onerror], [onload], [ontoggle], [onmouseover]").count()).toBe(0);
  expect(await prose.locator('a[href^="javascript" i]').count()).toBe(0);
  // The scripted SVG is only ever an <img>, where it cannot run script.
  await expect(prose.locator('img[alt="scripted svg"]')).toHaveAttribute("src", /\/__e2e_packs__\/hostile\/p1\/l01-evil\/evil\.svg$/);
  // Clicking the neutralized links does nothing.
  for (const name of ["markdown link", "entity link", "raw link"]) {
    const a = page.getByText(name, { exact: true });
    if (await a.count()) await a.first().click();
  }
  await page.getByRole("button", { name: "Show a hint" }).click();
  await page.getByRole("radio").first().check();
  const hintLinks = page.locator(".hint a");
  for (let i = 0; i < (await hintLinks.count()); i++) await hintLinks.nth(i).click();
  await page.evaluate(() => new Promise((r) => setTimeout(r, 500)));
  expect(await pwned(page)).toBeNull();
  expect(seen.dialogs).toEqual([]);
  expect(seen.errors).toEqual([]);
  await page.screenshot({ path: "test-results/hostile-pack.png" });
});

test("a pack with broken front matter gets a clear error and the built-in course stays", async ({ page }) => {
  const seen = await watch(page);
  await page.goto(`/?pack=${encodeURIComponent("/__e2e_packs__/broken/pack.json")}`);
  const alert = page.getByRole("alert");
  await expect(alert).toContainText("The instructor pack could not be loaded.");
  await expect(alert).toContainText("its lessons are invalid");
  await expect(page.getByLabel("Problems in the pack")).toContainText("/__e2e_packs__/broken/pack.json/p1/l01-evil/lesson.md: line 4, column 10: unclosed '['");
  // The built-in course is still there and opens.
  const first = page.locator(".lesson-link").first();
  await expect(first).toBeVisible();
  await first.click();
  await expect(page.locator(".lesson-view")).toBeVisible();
  expect(await pwned(page)).toBeNull();
  expect(seen.dialogs).toEqual([]);
});

test("a pack error names the file and field", async ({ page }) => {
  await page.goto(`/?pack=${encodeURIComponent("/__e2e_packs__/wrong-field/pack.json")}`);
  await expect(page.getByLabel("Problems in the pack")).toContainText(
    "p1/l01-evil/lesson.md: steps[0].checks[0].container.state: expected one of created|running|paused|exited",
  );
});

test("a missing pack says so", async ({ page }) => {
  await page.goto(`/?pack=${encodeURIComponent("/__e2e_packs__/nothing-here/pack.json")}`);
  await expect(page.getByRole("alert")).toContainText(/the server answered 404|it is not JSON/);
  await expect(page.locator(".lesson-link").first()).toBeVisible();
});

/** Prompt lines in the terminal; one more appears when a command entered at the prompt ends. */
async function prompts(page: Page): Promise<number> {
  return ((await terminalText(page)).match(/^berth:\S*# /gm) ?? []).length;
}

test("L01 is completed by clicking Run on each command and then Check", async ({ page }) => {
  // The Debian image is unpacked into the VM on its first run: tens of seconds.
  test.setTimeout(480_000);
  await openBerth(page);
  await page.locator(".lesson-link").first().click();
  const status = page.locator(".lesson-view .actions .status");
  // The first visit resets the lesson to its start state.
  await expect(status).toHaveText(/^0 of \d+ steps done$/, { timeout: 60_000 });
  const runs = page.locator(".lesson-view .prose .code-actions .run");
  const count = await runs.count();
  expect(count).toBeGreaterThanOrEqual(5);
  for (let i = 0; i < count; i++) {
    const before = await prompts(page);
    await runs.nth(i).click();
    await expect.poll(() => prompts(page), { timeout: 150_000, message: `command ${i + 1} of ${count} to finish` }).toBeGreaterThan(before);
  }
  await page.getByRole("button", { name: "Check" }).click();
  await expect(status).toHaveText("Every step is done. Well done.", { timeout: 30_000 });
  await expect(page.locator(".lesson-view .step:not(.done)")).toHaveCount(0);
  await page.locator(".lesson-view .steps").scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-results/l01-finished.png" });
  // The map shows it done.
  await page.getByRole("link", { name: "Course", exact: true }).click();
  await expect(page.locator(".lesson-link.done").first()).toBeVisible();
});
