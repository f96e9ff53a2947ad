// The contract between the lesson UI (page) and the lesson runtime (worker, next to the
// engine): the UI asks for checks and resets, the runtime answers from real state.
// The UI passes the lesson itself, not only its id, because lessons from an instructor
// pack exist only in the page.
import type { Check, Lesson } from "./schema";

/** What the runtime needs of a lesson: plain data, so it crosses Comlink by structured clone. */
export type RuntimeLesson = Pick<Lesson, "id" | "setup" | "steps" | "start" | "solution">;

export interface CheckResult {
  check: Check;
  ok: boolean;
  /** Why it failed: the check's own hint, a generated one, or a shell check's output. Absent when ok. */
  hint?: string;
}

export interface StepResult {
  stepId: string;
  /** Every check of the step passed. */
  ok: boolean;
  checks: CheckResult[];
}

export interface ResetOptions {
  /**
   * The learner's files stay: start/ files are added where missing, nothing is removed or
   * overwritten. For a lesson's first visit, which the learner did not ask to reset.
   */
  keepFiles?: boolean;
}

export interface LessonRuntime {
  /** Runs every check of every step against the real state; one result per step, in order. */
  check(lesson: RuntimeLesson): Promise<StepResult[]>;
  /**
   * Puts the lesson back to its start state: containers, images the start did not have,
   * workspace = start/ files, history of commands, then the lesson's setup. The page
   * clears the terminal itself once this resolves.
   */
  reset(lesson: RuntimeLesson, options?: ResetOptions): Promise<void>;
  /**
   * Called (debounced) after engine events or workspace changes, so the page can re-run
   * checks automatically. Returns the unsubscribe function.
   */
  onStateChange(cb: () => void): () => void;
}
