// Monaco, loaded lazily (after the first prompt) so it never competes with the VM
// download. Only the core editor and syntax colouring for the languages a Docker learner
// meets are included; the editor worker is the only worker.
import "monaco-editor/editor/browser/coreCommands";
import "monaco-editor/features/bracketMatching/register";
import "monaco-editor/features/clipboard/register";
import "monaco-editor/features/codicon/register";
import "monaco-editor/features/comment/register";
import "monaco-editor/features/contextmenu/register";
import "monaco-editor/features/cursorUndo/register";
import "monaco-editor/features/find/register";
import "monaco-editor/features/folding/register";
import "monaco-editor/features/indentation/register";
import "monaco-editor/features/linesOperations/register";
import "monaco-editor/features/multicursor/register";
import "monaco-editor/features/wordHighlighter/register";
import "monaco-editor/features/wordOperations/register";
import "monaco-editor/languages/definitions/dockerfile/register";
import "monaco-editor/languages/definitions/ini/register";
import "monaco-editor/languages/definitions/javascript/register";
import "monaco-editor/languages/definitions/markdown/register";
import "monaco-editor/languages/definitions/python/register";
import "monaco-editor/languages/definitions/shell/register";
import "monaco-editor/languages/definitions/yaml/register";
import * as monaco from "monaco-editor/editor/editor.api";
import EditorWorker from "monaco-editor/editor/editor.worker?worker";
import type { Theme } from "./theme.svelte";

self.MonacoEnvironment = { getWorker: () => new EditorWorker() };

monaco.editor.defineTheme("berth-dark", {
  base: "vs-dark",
  inherit: true,
  rules: [],
  colors: {
    "editor.background": "#0f151c",
    "editor.lineHighlightBackground": "#151d27",
    "editorLineNumber.foreground": "#4b5666",
    "editorLineNumber.activeForeground": "#a9b4c2",
    "editorGutter.background": "#0f151c",
    "editor.selectionBackground": "#2cc4d840",
    "editorCursor.foreground": "#4fd8ea",
    "editorWidget.background": "#141b24",
    "editorWidget.border": "#2f3b4a",
  },
});

monaco.editor.defineTheme("berth-light", {
  base: "vs",
  inherit: true,
  rules: [],
  colors: {
    "editor.background": "#ffffff",
    "editor.lineHighlightBackground": "#f4f7fa",
    "editorLineNumber.foreground": "#a3adba",
    "editorLineNumber.activeForeground": "#3b4654",
    "editor.selectionBackground": "#0b7a9030",
    "editorCursor.foreground": "#0b7a90",
  },
});

/** Files without an extension that Monaco would not recognise. */
const BY_NAME: Record<string, string> = { Dockerfile: "dockerfile", Containerfile: "dockerfile", Makefile: "shell" };

export function languageFor(path: string): string | undefined {
  const name = path.slice(path.lastIndexOf("/") + 1);
  if (BY_NAME[name]) return BY_NAME[name];
  if (/^Dockerfile\./.test(name) || name.endsWith(".dockerfile")) return "dockerfile";
  if (/\.(json|jsonc)$/.test(name)) return "javascript";
  if (/^compose\.ya?ml$|^docker-compose\.ya?ml$/.test(name)) return "yaml";
  return undefined;
}

export function themeName(t: Theme): string {
  return t === "dark" ? "berth-dark" : "berth-light";
}

export { monaco };
