// Browser benchmark: serves the production build (dist/) with `vite preview`, loads it in
// Debian's Chromium with a fresh profile and measures
//   browser_time_to_shell_ms       navigation start → first prompt drawn, cold cache
//   browser_time_to_shell_warm_ms  the same for a second load in the same profile
//   page_transfer_bytes            bytes on the wire before the first prompt, cold
//   lesson_open_ms                 click a lesson on the course map → its text, its editor
//                                  files and an idle terminal prompt (first visit: reset)
// Runs a few fresh profiles and reports medians. Logs go to stderr; the last line of
// stdout is one JSON object.
// usage: npx tsx e2e/bench-browser.ts [--runs N]
import { median } from "../scripts/bench/stats";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type BrowserContext, type Page } from "@playwright/test";
import { preview } from "vite";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../playwright.config";

const root = resolve(import.meta.dirname, "..");
const runsArg = process.argv.indexOf("--runs");
const RUNS = runsArg > 0 ? Math.max(1, Number(process.argv[runsArg + 1])) : 3;

const log = (msg: string) => process.stderr.write(`bench-browser: ${msg}\n`);

interface Load {
  toShellMs: number;
  transferBytes: number;
  requests: number;
}

/**
 * Loads the page once and waits for the prompt. Bytes are counted from Playwright's
 * network events, which (unlike a page CDP session) include the VM worker's fetches.
 */
async function load(ctx: BrowserContext, url: string): Promise<{ page: Page; result: Load }> {
  const page = await ctx.newPage();
  const finished: Array<Promise<{ start: number; bytes: number }>> = [];
  page.on("requestfinished", (req) => {
    finished.push(
      req.sizes().then((s) => ({ start: req.timing().startTime, bytes: s.responseBodySize + s.responseHeadersSize })),
    );
  });
  await page.goto(url);
  await page.waitForFunction(() => performance.getEntriesByName("berth:prompt").length > 0, null, { timeout: 120_000, polling: 10 });
  const mark = await page.evaluate(() => {
    const m = performance.getEntriesByName("berth:prompt")[0]!;
    return { at: m.startTime, wall: performance.timeOrigin + m.startTime };
  });
  let transfer = 0;
  let requests = 0;
  for (const r of await Promise.all(finished)) {
    if (r.start > mark.wall) continue;
    transfer += r.bytes;
    requests++;
  }
  return { page, result: { toShellMs: Math.round(mark.at), transferBytes: transfer, requests } };
}

/** The warm load must find the VM files in Cache Storage; writes finish in the background. */
async function waitForCache(page: Page): Promise<void> {
  await page.waitForFunction(
    async () => {
      const c = await caches.open("berth-vm-v1");
      return (await c.keys()).length >= 4; // wasm, bios, vga bios, snapshot
    },
    null,
    { timeout: 30_000, polling: 100 },
  );
}

/** The lesson opened by the bench: the first, as a learner starts. */
const BENCH_LESSON = "l01-hello";

/**
 * Clicks a lesson on the course map and waits until its text is shown, its first visit's
 * reset is over (Reset is enabled again), the files it opens are in the editor and the
 * terminal sits at an idle prompt.
 */
async function openLesson(page: Page, id: string): Promise<number> {
  // The lesson runtime must be up (the engine opened its store), as it is for a learner who clicks.
  await page.waitForFunction(() => !!document.querySelector('[data-runtime="ready"]'), null, { timeout: 60_000 });
  await page.evaluate(() => (location.hash = "#/"));
  const t0 = await page.evaluate(() => performance.now());
  await page.click(`a.lesson-link[href="#/lesson/${id}"]`);
  await page.waitForFunction(
    (lessonId) => {
      const view = document.querySelector(".lesson-view");
      if (!view || !location.hash.endsWith(lessonId)) return false;
      const reset = [...view.querySelectorAll("button")].find((b) => b.textContent?.trim() === "Reset lesson");
      if (!reset || (reset as HTMLButtonElement).disabled) return false;
      const lines = (window.__berth?.terminalText?.() ?? "").split("\n").filter((l) => l.trim());
      if (!/^berth:\S*# $/.test(lines.at(-1) ?? "")) return false;
      const want = (view as HTMLElement).dataset.open ?? "";
      const leaf = document.querySelector(".editor-pane .crumbs .leaf")?.textContent ?? "";
      return want === "" || (want.split("/").pop() === leaf && !!document.querySelector(".editor-pane .view-lines"));
    },
    id,
    { timeout: 60_000, polling: 10 },
  );
  return Math.round((await page.evaluate(() => performance.now())) - t0);
}

async function main(): Promise<void> {
  if (!existsSync(join(root, "dist/index.html"))) throw new Error("no dist/: run `npx vite build` first");
  const server = await preview({ root, logLevel: "silent", preview: { host: "127.0.0.1", port: 4190, strictPort: false, open: false } });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error("vite preview did not report a URL");
  log(`serving dist/ at ${url}`);

  const cold: Load[] = [];
  const warm: Load[] = [];
  const opens: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const profile = mkdtempSync(join(tmpdir(), "berth-bench-"));
      const ctx = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM_PATH,
        args: CHROMIUM_ARGS,
        viewport: { width: 1440, height: 900 },
      });
      try {
        const first = await load(ctx, url);
        cold.push(first.result);
        await waitForCache(first.page);
        // One VM at a time: close the first tab before the second load.
        await first.page.close();
        const second = await load(ctx, url);
        warm.push(second.result);
        opens.push(await openLesson(second.page, BENCH_LESSON));
        await second.page.close();
        log(
          `run ${i + 1}/${RUNS}: cold ${first.result.toShellMs} ms (${(first.result.transferBytes / 1e6).toFixed(1)} MB in ${first.result.requests} requests), ` +
            `warm ${second.result.toShellMs} ms (${(second.result.transferBytes / 1e6).toFixed(2)} MB), lesson open ${opens.at(-1)} ms`,
        );
      } finally {
        await ctx.close();
        rmSync(profile, { recursive: true, force: true });
      }
    }
  } finally {
    await server.close();
  }

  const result = {
    browser_time_to_shell_ms: Math.round(median(cold.map((r) => r.toShellMs))),
    browser_time_to_shell_warm_ms: Math.round(median(warm.map((r) => r.toShellMs))),
    page_transfer_bytes: Math.round(median(cold.map((r) => r.transferBytes))),
    page_transfer_bytes_warm: Math.round(median(warm.map((r) => r.transferBytes))),
    lesson_open_ms: Math.round(median(opens)),
  };
  console.log(JSON.stringify(result));
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
