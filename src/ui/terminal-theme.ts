import type { ITheme } from "@xterm/xterm";
import type { Theme } from "./theme.svelte";

const dark: ITheme = {
  background: "#0b1016",
  foreground: "#d8e0ea",
  cursor: "#4fd8ea",
  cursorAccent: "#0b1016",
  selectionBackground: "rgba(79, 216, 234, 0.28)",
  black: "#1c2430",
  red: "#f36a64",
  green: "#56d364",
  yellow: "#e3b341",
  blue: "#6cb6ff",
  magenta: "#d2a8ff",
  cyan: "#4fd8ea",
  white: "#c9d1d9",
  brightBlack: "#6e7b8c",
  brightRed: "#ff8f88",
  brightGreen: "#7ee787",
  brightYellow: "#f2cc60",
  brightBlue: "#91cbff",
  brightMagenta: "#e2c5ff",
  brightCyan: "#8ae9f5",
  brightWhite: "#f5f8fb",
};

const light: ITheme = {
  background: "#fbfcfd",
  foreground: "#1d2633",
  cursor: "#0b7a90",
  cursorAccent: "#fbfcfd",
  selectionBackground: "rgba(11, 122, 144, 0.2)",
  black: "#1d2633",
  red: "#c42b33",
  green: "#1a7f37",
  yellow: "#8a5d00",
  blue: "#0969da",
  magenta: "#8250df",
  cyan: "#0b7a90",
  white: "#6e7781",
  brightBlack: "#57606a",
  brightRed: "#a40e26",
  brightGreen: "#116329",
  brightYellow: "#6f4a00",
  brightBlue: "#0550ae",
  brightMagenta: "#6639ba",
  brightCyan: "#086579",
  brightWhite: "#8c959f",
};

export function terminalTheme(t: Theme): ITheme {
  return t === "dark" ? dark : light;
}
