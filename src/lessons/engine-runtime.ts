// The LessonRuntime beside the engine (in the worker, or in Node for tests and the
// benchmark): checks and resets over the Daemon and the VM, and a debounced "something
// changed" for the page's automatic re-checks.
import type { EngineEvent } from "../engine/api-types";
import type { Daemon } from "../engine/daemon";
import type { HostSandbox } from "../sandbox/types";
import { checkSteps } from "./checks";
import { resetLesson } from "./reset";
import type { LessonRuntime, ResetOptions, RuntimeLesson, StepResult } from "./runtime-types";

/** Long enough to fold the burst of events one `docker run` makes into one re-check. */
export const STATE_CHANGE_DEBOUNCE_MS = 250;

/**
 * Events a check itself causes: a shell check's `docker exec` creates and starts an exec.
 * Re-checking on them would re-check forever; a learner's own exec is seen through the
 * command history instead.
 */
const isCheckNoise = (e: EngineEvent) => e.Action.startsWith("exec_");

export class EngineLessonRuntime implements LessonRuntime {
  constructor(
    readonly daemon: Daemon,
    readonly sandbox: HostSandbox,
  ) {}

  check(lesson: RuntimeLesson): Promise<StepResult[]> {
    return checkSteps(this, lesson.steps);
  }

  reset(lesson: RuntimeLesson, options: ResetOptions = {}): Promise<void> {
    return resetLesson(this, lesson, options);
  }

  onStateChange(cb: () => void): () => void {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const changed = () => {
      clearTimeout(timer);
      timer = setTimeout(cb, STATE_CHANGE_DEBOUNCE_MS);
    };
    const events = this.daemon.events.subscribe((e) => {
      if (!isCheckNoise(e)) changed();
    });
    const offHistory = this.daemon.history.onChange(changed);
    // A VM restart brings a new workspace share; follow the current one.
    let fs = this.sandbox.fs;
    let offFiles = fs.watch(changed);
    const offStatus = this.sandbox.onStatus((s) => {
      if (s.state !== "ready" || this.sandbox.fs === fs) return;
      offFiles();
      fs = this.sandbox.fs;
      offFiles = fs.watch(changed);
    });
    return () => {
      clearTimeout(timer);
      events.close();
      offHistory();
      offFiles();
      offStatus();
    };
  }
}
