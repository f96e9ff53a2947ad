// A deliberately tiny window.__berth for the e2e tests and the browser benchmark. It only
// reads state; nothing here changes how the app behaves.
interface BerthHook {
  terminalText?: () => string;
}

declare global {
  interface Window {
    __berth?: BerthHook;
  }
}

export function exposeHook<K extends keyof BerthHook>(name: K, fn: NonNullable<BerthHook[K]>): void {
  window.__berth ??= {};
  window.__berth[name] = fn;
}
