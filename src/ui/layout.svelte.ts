// Pane sizes, persisted so the layout survives a reload.
const KEY = "berth.layout";

interface Sizes {
  /** Lesson pane width, px. */
  lesson: number;
  /** File tree width, px. */
  tree: number;
  /** Editor share of the work column's height, 0..1. */
  editor: number;
}

// The lesson gets about a quarter of the window, within reason.
const DEFAULTS: Sizes = { lesson: Math.round(Math.min(400, Math.max(280, window.innerWidth * 0.27))), tree: 210, editor: 0.55 };

function load(): Sizes {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? "{}") as Partial<Sizes>;
    const num = (x: unknown, d: number) => (typeof x === "number" && Number.isFinite(x) ? x : d);
    return { lesson: num(v.lesson, DEFAULTS.lesson), tree: num(v.tree, DEFAULTS.tree), editor: num(v.editor, DEFAULTS.editor) };
  } catch {
    return { ...DEFAULTS };
  }
}

class Layout {
  sizes = $state<Sizes>(load());

  set<K extends keyof Sizes>(key: K, value: number): void {
    this.sizes[key] = value;
    localStorage.setItem(KEY, JSON.stringify(this.sizes));
  }
}

export const layout = new Layout();
