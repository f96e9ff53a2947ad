// A lesson's checks, answered from real state: containers and images from the Daemon (as
// `docker inspect` sees them), files from the workspace share, `ran` from the engine's
// command history, and shell checks by a real process in the guest. Every failure says
// what is actually there, so the learner never gets a bare "wrong".
import type { ContainerJSON } from "../engine/api-types";
import { commandMatches } from "../engine/cli/command-match";
import { INTERNAL_ENV } from "../engine/command-history";
import type { Daemon } from "../engine/daemon";
import type { ImageRecord } from "../engine/images/image-store";
import { parseReference, referenceString } from "../engine/images/reference";
import { DEFAULT_ENV } from "../sandbox/env";
import type { HostSandbox } from "../sandbox/types";
import type { CheckResult, StepResult } from "./runtime-types";
import type { Check, ContainerCheck, FileCheck, ImageCheck, Step } from "./schema";

/** What checks read and resets change: the engine and the guest it drives. */
export interface CheckTarget {
  daemon: Daemon;
  sandbox: Pick<HostSandbox, "exec" | "fs">;
}

/** A shell check that runs longer than this fails (a hung `docker logs -f` must not hang the lesson). */
export const SHELL_CHECK_TIMEOUT_MS = 10_000;
/** The end of a shell check's output is its hint; a screenful is plenty. */
const SHELL_HINT_CHARS = 600;

/** Runs every check of every step (all at once: most answer from memory, shell checks overlap their round trips). */
export function checkSteps(target: CheckTarget, steps: readonly Pick<Step, "id" | "checks">[]): Promise<StepResult[]> {
  return Promise.all(
    steps.map(async (s) => {
      const checks = await Promise.all(s.checks.map((c) => runCheck(target, c)));
      return { stepId: s.id, ok: checks.every((c) => c.ok), checks };
    }),
  );
}

export async function runCheck(target: CheckTarget, check: Check): Promise<CheckResult> {
  let failure: string | undefined;
  try {
    failure = await evaluate(target, check);
  } catch (e) {
    failure = `The check could not run: ${e instanceof Error ? e.message : String(e)}`;
  }
  if (failure === undefined) return { check, ok: true };
  return { check, ok: false, hint: check.hint ?? failure };
}

/** undefined when the check passes, else what is wrong. */
async function evaluate(t: CheckTarget, check: Check): Promise<string | undefined> {
  if ("container" in check) return containerFailure(t.daemon, check.container);
  if ("noContainer" in check) {
    const c = t.daemon.list().find((x) => containerMatches(t.daemon, x, check.noContainer));
    return c ? `${subjectOf(check.noContainer)} still exists: ${nameOf(c)} (${statusOf(c)})` : undefined;
  }
  if ("image" in check) return imageFailure(t.daemon, check.image);
  if ("noImage" in check) {
    const img = t.daemon.image(check.noImage.ref);
    return img ? `The image ${check.noImage.ref} is still there (ID ${img.id.slice(7, 19)}); docker images lists it` : undefined;
  }
  if ("file" in check) return fileFailure(t, check.file);
  if ("ran" in check) {
    const ran = t.daemon.history.entries().some((e) => ranCounts(e.exitCode) && commandMatches(e.argv, check.ran.command));
    return ran ? undefined : `You have not run \`${check.ran.command}\` in the terminal yet`;
  }
  return shellFailure(t, check.shell.script);
}

/**
 * A command that ended with 125 failed in docker itself (a bad flag, a daemon error on
 * run), so it did not do what the step asks; any other end, or still running, counts.
 */
const ranCounts = (exitCode: number | null) => exitCode !== 125;

// ---------------------------------------------------------------- containers

type ContainerWant = ContainerCheck["container"];

const nameOf = (c: ContainerJSON) => c.Name.replace(/^\//, "");

/** The container's state in words: "running", "exited with code 1", "exited with code 137 (OOM-killed)". */
export function statusOf(c: ContainerJSON): string {
  const s = c.State;
  if (s.Status === "exited" || s.Status === "dead") return `${s.Status} with code ${s.ExitCode}${s.OOMKilled ? " (OOM-killed)" : ""}`;
  return s.Status;
}

/** A reference in its full form ("busybox" → "docker.io/library/busybox:latest"), or itself when it is none. */
function normalRef(ref: string): string {
  try {
    return referenceString(parseReference(ref));
  } catch {
    return ref;
  }
}

/** The container was made from this image: by the name it was run with, or by the image's ID. */
function sameImage(d: Daemon, c: ContainerJSON, ref: string): boolean {
  if (normalRef(c.Config.Image) === normalRef(ref)) return true;
  const img = d.image(ref);
  return img !== undefined && img.id === c.Image;
}

function labelsHave(labels: Record<string, string> | null | undefined, want: Record<string, string>): boolean {
  return Object.entries(want).every(([k, v]) => labels?.[k] === v);
}

/** How the container differs from each field the check gives, in words ("is exited with code 1"). */
function mismatches(d: Daemon, c: ContainerJSON, w: ContainerWant): string[] {
  const out: string[] = [];
  if (w.name !== undefined && nameOf(c) !== w.name) out.push(`is not named ${w.name}`);
  if (w.image !== undefined && !sameImage(d, c, w.image)) out.push(`runs ${c.Config.Image}`);
  if (w.state !== undefined && c.State.Status !== w.state) out.push(`is ${statusOf(c)}`);
  if (w.exitCode !== undefined && (c.State.Status !== "exited" || c.State.ExitCode !== w.exitCode)) {
    out.push(c.State.Status === "exited" ? `exited with code ${c.State.ExitCode}` : `is ${statusOf(c)}`);
  }
  if (w.oomKilled !== undefined && c.State.OOMKilled !== w.oomKilled) out.push(w.oomKilled ? "was not OOM-killed" : "was OOM-killed");
  if (w.label !== undefined && !labelsHave(c.Config.Labels, w.label)) {
    out.push(`lacks the label${Object.keys(w.label).length > 1 ? "s" : ""} ${labelText(w.label)}`);
  }
  return out;
}

function containerMatches(d: Daemon, c: ContainerJSON, w: ContainerWant): boolean {
  return mismatches(d, c, w).length === 0;
}

const labelText = (l: Record<string, string>) =>
  Object.entries(l)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");

function subjectOf(w: { name?: string; image?: string }): string {
  if (w.name !== undefined) return `A container named ${w.name}`;
  if (w.image !== undefined) return `A container from ${w.image}`;
  return "A container";
}

/** What the check wants, as a predicate: "is running and has exited with code 0". */
function wanted(w: ContainerWant, withImage: boolean): string {
  const parts: string[] = [];
  if (withImage && w.image !== undefined) parts.push(`runs ${w.image}`);
  if (w.state !== undefined) parts.push(`is ${w.state}`);
  if (w.exitCode !== undefined) parts.push(`exited with code ${w.exitCode}`);
  if (w.oomKilled !== undefined) parts.push(w.oomKilled ? "was OOM-killed" : "was not OOM-killed");
  if (w.label !== undefined) parts.push(`has the label ${labelText(w.label)}`);
  return parts.join(" and ");
}

function containerFailure(d: Daemon, w: ContainerWant): string | undefined {
  const all = d.list();
  if (all.some((c) => containerMatches(d, c, w))) return undefined;
  if (w.name !== undefined) {
    const named = all.find((c) => nameOf(c) === w.name);
    if (!named) return `No container named ${w.name} exists (docker ps -a does not list it)`;
    return `No container named ${w.name} ${wanted(w, true)} (it ${[...new Set(mismatches(d, named, w))].join(", and it ")})`;
  }
  const candidates = w.image !== undefined ? all.filter((c) => sameImage(d, c, w.image!)) : all;
  const subject = w.image !== undefined ? `from ${w.image}` : "";
  if (!candidates.length) return `No container ${subject || "exists"}${subject ? " exists" : ""} (docker ps -a lists ${all.length ? "others only" : "none"})`;
  const seen = candidates.slice(0, 3).map((c) => `${nameOf(c)} is ${statusOf(c)}`);
  const more = candidates.length > 3 ? `, and ${candidates.length - 3} more` : "";
  return `No container ${subject ? subject + " " : ""}${wanted(w, false)} (${seen.join("; ")}${more})`;
}

// ---------------------------------------------------------------- images

type ImageWant = ImageCheck["image"];

const json = (v: unknown) => JSON.stringify(v ?? null);

/** Cmd and Entrypoint must be exactly these; Env and ExposedPorts must include these (an image inherits more). */
function configMismatch(img: ImageRecord, w: NonNullable<ImageWant["config"]>): string | undefined {
  const c = img.config.config ?? {};
  for (const key of ["Cmd", "Entrypoint"] as const) {
    const want = w[key];
    if (want !== undefined && json(c[key]) !== json(want)) return `its ${key} is ${json(c[key])}, not ${json(want)}`;
  }
  for (const key of ["User", "WorkingDir"] as const) {
    const want = w[key];
    if (want !== undefined && (c[key] ?? "") !== want) return `its ${key} is ${json(c[key] ?? "")}, not ${json(want)}`;
  }
  const missingEnv = (w.Env ?? []).filter((e) => !(c.Env ?? []).includes(e));
  if (missingEnv.length) return `its Env lacks ${missingEnv.join(", ")}`;
  const ports = Object.keys(c.ExposedPorts ?? {});
  const missingPorts = (w.ExposedPorts ?? []).filter((p) => !ports.includes(p.includes("/") ? p : `${p}/tcp`));
  if (missingPorts.length) return `it does not expose ${missingPorts.join(", ")}`;
  return undefined;
}

function imageFailure(d: Daemon, w: ImageWant): string | undefined {
  const img = d.image(w.ref);
  if (!img) return `There is no image ${w.ref} (docker images does not list it)`;
  const labels = img.config.config?.Labels;
  if (w.label !== undefined && !labelsHave(labels, w.label)) {
    const has = Object.keys(w.label).map((k) => (labels?.[k] === undefined ? `no ${k} label` : `${k}=${labels[k]}`));
    return `The image ${w.ref} lacks the label ${labelText(w.label)} (it has ${has.join(", ")})`;
  }
  const bad = w.config === undefined ? undefined : configMismatch(img, w.config);
  return bad === undefined ? undefined : `The image ${w.ref} is not as asked: ${bad}`;
}

// ---------------------------------------------------------------- files and shell

async function fileFailure(t: CheckTarget, w: FileCheck["file"]): Promise<string | undefined> {
  let text: string;
  try {
    text = new TextDecoder().decode(await t.sandbox.fs.read(w.path));
  } catch {
    return `There is no file ${w.path} in the workspace`;
  }
  if (w.contains !== undefined && !text.includes(w.contains)) return `${w.path} does not contain ${json(w.contains)}`;
  // Multiline, so ^ and $ match at each line, as authors expect of a file.
  if (w.matches !== undefined && !new RegExp(w.matches, "m").test(text)) return `${w.path} does not match /${w.matches}/`;
  return undefined;
}

/** The environment of the playground's own guest commands (their `docker` calls are not the learner's). */
export const INTERNAL_GUEST_ENV = [...DEFAULT_ENV, INTERNAL_ENV];

async function shellFailure(t: CheckTarget, script: string): Promise<string | undefined> {
  const r = await t.sandbox.exec(["sh", "-c", script], { cwd: "/workspace", env: INTERNAL_GUEST_ENV, timeoutMs: SHELL_CHECK_TIMEOUT_MS });
  if (r.code === 0) return undefined;
  const out = (r.stdout + r.stderr).trim();
  if (out) return out.length > SHELL_HINT_CHARS ? "…" + out.slice(-SHELL_HINT_CHARS) : out;
  if (r.code === null) return `The check did not finish within ${SHELL_CHECK_TIMEOUT_MS / 1000} s`;
  return `The check's script exited with code ${r.code}`;
}
