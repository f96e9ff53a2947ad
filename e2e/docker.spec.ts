// Docker in the page: the engine runs in the worker beside the VM, the terminal's `docker`
// reaches it, the Docker panel follows its events, and a reload keeps its store.
import { expect, test, type Page } from "@playwright/test";
import { openBerth, runInTerminal, terminalText, waitForPrompt } from "./helpers";

/** A container's busybox shell, idle. */
const CONTAINER_PROMPT = /^\/ # $/;

/** What the terminal shows after the last time `command` was typed. */
function after(text: string, command: string): string {
  return text.slice(text.lastIndexOf(command) + command.length);
}

const dockerTab = (page: Page) => page.getByRole("tab", { name: /Docker/ });
const containerRow = (page: Page, name: string) => page.locator(`[data-testid="container-row"][data-name="${name}"]`);

test("docker run -it gives a real container on the terminal's tty", async ({ page }) => {
  await openBerth(page);
  const run = "docker run -it --rm busybox sh";
  // The first run pulls busybox from the site, then the container's shell prompts.
  await runInTerminal(page, run, /^\/ # $/m, 60_000);
  expect(after(await terminalText(page), run)).toContain("Unable to find image 'busybox:latest' locally");

  const host = await runInTerminal(page, "hostname", /hostname\s*\n[0-9a-f]{12}\s*\n/, 20_000, CONTAINER_PROMPT);
  const id = /hostname\s*\n([0-9a-f]{12})\s*\n/.exec(after(host, run))![1]!;

  // Its own PID namespace: the shell is PID 1.
  // (Debian's busybox prints no TIME column.)
  const ps = after(await runInTerminal(page, "ps", /# ps\s*\nPID.*COMMAND\s*\n(?:.*\n)+?\/ # $/m, 20_000, CONTAINER_PROMPT), "# ps");
  expect(ps).toMatch(/^PID\s+USER\s+(TIME\s+)?COMMAND$/m);
  expect(ps).toMatch(/^\s*1 root\s+(\S+\s+)?sh$/m);

  // The next command waits for the VM's own prompt to come back.
  await runInTerminal(page, "exit", "# exit", 20_000, CONTAINER_PROMPT);
  const list = after(await runInTerminal(page, "docker ps -a", /docker ps -a\s*\nCONTAINER ID/), "docker ps -a");
  expect(list).toMatch(/^\s*CONTAINER ID\s+IMAGE\s+COMMAND\s+CREATED\s+STATUS\s+PORTS\s+NAMES$/m);
  // --rm: the container is gone.
  expect(list).not.toContain(id);
});

test("the Docker panel follows the engine live, and Stop stops the container", async ({ page }) => {
  await openBerth(page);
  await dockerTab(page).click();
  await expect(page.getByRole("heading", { name: "No containers yet" })).toBeVisible();
  await page.screenshot({ path: "test-results/docker-panel-empty.png" });

  // Back in the terminal (the page's shortcut), start a container; the panel does not
  // fetch on its own, so whatever it shows next came from the engine's events.
  await page.keyboard.press("Control+Backquote");
  await runInTerminal(page, "docker run -d --name panel-demo busybox sleep 1000", /^[0-9a-f]{64}\s*$/m, 60_000);
  await expect(dockerTab(page)).toContainText(/1\s*running/);
  await dockerTab(page).click();
  const row = containerRow(page, "panel-demo");
  await expect(row.getByTestId("container-state")).toHaveText("running");
  await expect(row).toContainText("busybox");
  await expect(row).toContainText(/Up (Less than a second|\d+ seconds?)/);
  await page.screenshot({ path: "test-results/docker-panel.png" });
  await page.getByRole("button", { name: /Switch to (light|dark) theme/ }).click();
  await page.screenshot({ path: "test-results/docker-panel-other-theme.png" });

  // From the keyboard: the arrows move between the panel's views.
  const view = (name: RegExp) => page.getByRole("tab", { name });
  await view(/^Containers/).press("ArrowRight");
  await expect(view(/^Images/)).toBeFocused();
  await expect(page.locator('[data-testid="image-row"][data-tag="busybox:latest"]')).toContainText("1 container");
  await view(/^Images/).press("ArrowRight");
  await expect(page.getByRole("list", { name: "Recent events, newest first" })).toContainText(/start\s*panel-demo/);
  await view(/^Events/).press("Home");
  await expect(view(/^Containers/)).toHaveAttribute("aria-selected", "true");

  // sleep as PID 1 ignores SIGTERM, so the stop ends with SIGKILL after the 10 s timeout.
  await row.getByRole("button", { name: "Stop panel-demo" }).click();
  await expect(row.getByTestId("container-state")).toHaveText("stopping");
  await expect(row.getByTestId("container-state")).toHaveText("exited (137)", { timeout: 30_000 });
  await expect(dockerTab(page)).not.toContainText("running");

  await page.keyboard.press("Control+Backquote");
  const ps = after(await runInTerminal(page, "docker ps -a", /docker ps -a\s*\nCONTAINER ID.*\n.*panel-demo/), "docker ps -a");
  expect(ps).toMatch(/busybox\s+"sleep 1000".*Exited \(137\) .* ago\s+panel-demo/);
  const running = after(await runInTerminal(page, "docker ps -q | wc -l", /docker ps -q \| wc -l\s*\n\d+/), "docker ps -q | wc -l");
  expect(running).toMatch(/^\s*0\s*$/m);

  // The panel's delete is `docker rm -f`.
  await dockerTab(page).click();
  await row.getByRole("button", { name: "Delete panel-demo" }).click();
  await expect(page.getByRole("heading", { name: "No containers yet" })).toBeVisible();
});

test("a reload keeps images and containers, like a host reboot", async ({ page, context }) => {
  await openBerth(page);
  await runInTerminal(page, "docker run --name kept busybox echo kept-output", /^kept-output\s*$/m, 60_000);

  const imageRequests: string[] = [];
  context.on("request", (r) => {
    if (new URL(r.url()).pathname.startsWith("/images/")) imageRequests.push(r.url());
  });
  await page.reload();
  await waitForPrompt(page);
  const images = after(await runInTerminal(page, "docker images", /docker images\s*\nREPOSITORY.*\nbusybox/), "docker images");
  expect(images).toMatch(/^busybox\s+latest\s+[0-9a-f]{12}\s/m);
  const ps = after(await runInTerminal(page, "docker ps -a", /docker ps -a\s*\nCONTAINER ID.*\n.*kept/), "docker ps -a");
  expect(ps).toMatch(/Exited \(0\) .* ago\s+kept/);
  const again = after(await runInTerminal(page, "docker run --rm busybox echo again", /^again\s*$/m, 30_000), "docker run --rm busybox echo again");
  expect(again).not.toContain("Unable to find image");
  expect(await runInTerminal(page, "docker logs kept", /docker logs kept\s*\nkept-output/)).toBeTruthy();
  // Nothing was downloaded again: the images live in the engine's IndexedDB store.
  expect(imageRequests).toEqual([]);

  // Offline, an image removed and pulled again comes from the browser's cache of the site's files.
  await runInTerminal(page, "docker rm kept && docker rmi busybox", /^Deleted: sha256:[0-9a-f]{64}\s*$/m);
  await context.setOffline(true);
  await runInTerminal(page, "docker pull busybox", /^Status: Downloaded newer image for busybox:latest\s*$/m, 30_000);
  await context.setOffline(false);
});
