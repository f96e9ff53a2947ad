// Keyboard behaviour of a WAI-ARIA tab list: arrows move to the neighbouring tab
// (wrapping), Home and End to the first and last. Selection follows focus.

/** The tab a key moves to from `current`, or undefined for keys tabs do not use. */
export function tabForKey<T>(key: string, tabs: readonly T[], current: T): T | undefined {
  const i = tabs.indexOf(current);
  const next = ({ ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 } as Record<string, number>)[key];
  return next === undefined ? undefined : tabs[(next + tabs.length) % tabs.length];
}
