import { mount } from "svelte";
import type { BrowserSandbox } from "../sandbox/client";
import App from "./App.svelte";
import "./app.css";

export function mountApp(target: HTMLElement, sandbox: BrowserSandbox): void {
  mount(App, { target, props: { sandbox } });
}
