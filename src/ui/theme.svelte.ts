// Light/dark theme: follows the OS until the learner picks one, then remembers the pick.
// index.html applies the same rule before first paint, so there is no flash.
export type Theme = "light" | "dark";

const KEY = "berth.theme";
const media = window.matchMedia("(prefers-color-scheme: dark)");

function stored(): Theme | null {
  const v = localStorage.getItem(KEY);
  return v === "light" || v === "dark" ? v : null;
}

class ThemeState {
  current = $state<Theme>(stored() ?? (media.matches ? "dark" : "light"));

  constructor() {
    media.addEventListener("change", (e) => {
      if (!stored()) this.apply(e.matches ? "dark" : "light");
    });
    this.apply(this.current);
  }

  toggle(): void {
    const next: Theme = this.current === "dark" ? "light" : "dark";
    localStorage.setItem(KEY, next);
    this.apply(next);
  }

  private apply(t: Theme): void {
    this.current = t;
    document.documentElement.dataset.theme = t;
    document.documentElement.style.colorScheme = t;
  }
}

export const theme = new ThemeState();
