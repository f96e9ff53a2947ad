// The lesson side of the page: which course is shown (built in, or an instructor pack
// from ?pack=URL), which lesson is open (the URL hash, so Back works), its check
// results, and the learner's progress. Checks and resets run in the worker beside the
// engine (LessonRuntime); this only asks and shows.
import * as Comlink from "comlink";
import { course as builtIn } from "virtual:berth-course";
import { fetchPack, packErrorMessage } from "../lessons/pack";
import { ProgressStore } from "../lessons/progress";
import type { StepResult } from "../lessons/runtime-types";
import type { Course, Lesson } from "../lessons/schema";
import type { RemoteLessonRuntime } from "../sandbox/client";
import type { Session } from "./session.svelte";

const LESSON_HASH = /^#\/lesson\/([a-z0-9-]+)$/;
export const PRACTICE_HREF = "#/practice";

export function lessonHref(id: string): string {
  return `#/lesson/${id}`;
}

export class Lessons {
  course = $state.raw<Course>(builtIn);
  /** The instructor pack being shown, if any. */
  pack = $state.raw<{ title: string; url: string } | null>(null);
  packUrl = $state("");
  packLoading = $state(false);
  packError = $state("");
  openId = $state<string | null>(null);
  /** The interview practice view is shown (#/practice). */
  practice = $state(false);
  /** Results of the open lesson's last check, per step. */
  results = $state.raw<StepResult[] | null>(null);
  /** The learner pressed Check (failures are shown only then; automatic checks stay quiet). */
  asked = $state(false);
  checking = $state(false);
  resetting = $state(false);
  error = $state("");
  /** Steps that passed during this visit, for the quiet celebration. */
  justPassed = $state<string[]>([]);
  /** Bumped on every progress change, so views that read progress update. */
  progressVersion = $state(0);
  runtimeReady = $state(false);
  progress: ProgressStore;

  private runtime: RemoteLessonRuntime | undefined;
  private checkAgain = false;

  constructor(
    private readonly session: Session,
    /** Opens a workspace file in the editor; null closes the editor. */
    private readonly openFile: (path: string | null) => void,
  ) {
    this.progress = this.store("berth.progress");
  }

  private store(key: string): ProgressStore {
    const p = new ProgressStore(localStorage, key);
    p.onChange(() => this.progressVersion++);
    return p;
  }

  /** Reads the URL, loads a pack if asked, and connects to the lesson runtime. */
  init(): () => void {
    const packUrl = new URLSearchParams(location.search).get("pack");
    if (packUrl) void this.loadPack(packUrl);
    const route = (): void => this.route();
    addEventListener("hashchange", route);
    this.route();
    let off: (() => void) | undefined;
    void this.session.sandbox.lessons().then(
      async (runtime) => {
        this.runtime = runtime;
        this.runtimeReady = true;
        const unsubscribe = await runtime.onStateChange(Comlink.proxy(() => void this.check(false)));
        off = () => void unsubscribe();
        if (this.openId) void this.opened();
      },
      (e: unknown) => (this.error = `Lesson checks are not available: ${message(e)}`),
    );
    return () => {
      removeEventListener("hashchange", route);
      off?.();
    };
  }

  private async loadPack(url: string): Promise<void> {
    this.packUrl = url;
    this.packLoading = true;
    try {
      const pack = await fetchPack(url, location.href);
      this.progress = this.store(`berth.progress.pack:${pack.url}`);
      this.course = pack.course;
      this.pack = { title: pack.title, url: pack.url };
      this.progressVersion++;
      this.route();
    } catch (e) {
      this.packError = packErrorMessage(e);
    } finally {
      this.packLoading = false;
    }
  }

  get lessons(): Lesson[] {
    return [...this.course.parts.flatMap((p) => p.lessons), ...this.course.drills];
  }

  get current(): Lesson | undefined {
    return this.openId ? this.lessons.find((l) => l.id === this.openId) : undefined;
  }

  private route(): void {
    this.practice = location.hash === PRACTICE_HREF;
    const id = LESSON_HASH.exec(location.hash)?.[1] ?? null;
    const known = id !== null && this.lessons.some((l) => l.id === id);
    if (id === this.openId && (known || this.packLoading)) return;
    // While a pack loads, its lesson ids are not known yet; wait for it.
    this.openId = known ? id : null;
    this.results = null;
    this.asked = false;
    this.justPassed = [];
    this.error = "";
    if (this.openId) void this.opened();
  }

  /**
   * A lesson was opened: a first visit starts from its start state (but keeps the
   * learner's files: they did not ask for a reset); its files open in the editor.
   */
  private async opened(): Promise<void> {
    const lesson = this.current;
    if (!lesson || !this.runtime) return;
    const fresh = this.progress.status(lesson.id, lesson.steps.map((s) => s.id)) === "new";
    if (fresh) await this.reset(true);
    else {
      for (const path of lesson.open) this.openFile(path);
      await this.check(false);
    }
  }

  /** Runs the open lesson's checks; `manual` when the learner pressed Check. */
  async check(manual: boolean): Promise<void> {
    const lesson = this.current;
    if (!lesson || !this.runtime || this.resetting) return;
    if (manual) this.asked = true;
    if (this.checking) {
      this.checkAgain = true;
      return;
    }
    this.checking = true;
    try {
      do {
        this.checkAgain = false;
        const results = await this.runtime.check(runtimeLesson(lesson));
        if (this.current !== lesson) return;
        this.results = results;
        const passed = results.filter((r) => r.ok).map((r) => r.stepId);
        const before = this.progress.lesson(lesson.id).steps;
        const fresh = passed.filter((s) => !before[s]);
        if (fresh.length) this.justPassed = [...this.justPassed, ...fresh];
        this.progress.passSteps(lesson.id, passed, lesson.steps.map((s) => s.id));
        this.error = "";
      } while (this.checkAgain);
    } catch (e) {
      this.error = `The checks failed to run: ${message(e)}`;
    } finally {
      this.checking = false;
    }
  }

  /** Puts the lesson back to its start state: engine, workspace, terminal, progress. */
  async reset(firstVisit = false): Promise<void> {
    const lesson = this.current;
    if (!lesson || !this.runtime || this.resetting) return;
    this.resetting = true;
    this.error = "";
    try {
      await this.runtime.reset(runtimeLesson(lesson), { keepFiles: firstVisit });
      if (!firstVisit) this.progress.forget(lesson.id);
      this.results = null;
      this.asked = false;
      this.justPassed = [];
      this.session.terminal?.clear();
      // The file open before may be gone with the old workspace.
      if (!lesson.open.length && !firstVisit) this.openFile(null);
      for (const path of lesson.open) this.openFile(path);
    } catch (e) {
      this.error = `Reset failed: ${message(e)}`;
    } finally {
      this.resetting = false;
    }
    await this.check(false);
  }
}

/** Only plain data crosses to the worker. */
function runtimeLesson(l: Lesson) {
  return $state.snapshot({ id: l.id, setup: l.setup, steps: l.steps, start: l.start, solution: l.solution });
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
