// dockerd's filters.Args (api/types/filters): a key and its values, and the ways the
// daemon matches them. Every list and event filter goes through these.
import { InvalidParameterError } from "../errors";

/** dockerd's filters.Args: a key and its values ({"status":{"running":true}} on the wire). */
export type Filters = ReadonlyMap<string, readonly string[]>;

/** Validate: a key the endpoint does not know is "Invalid filter". */
export function checkFilters(f: Filters, accepted: readonly string[]): void {
  for (const k of f.keys()) if (!accepted.includes(k)) throw new InvalidParameterError(`Invalid filter '${k}'`);
}

/** filters.Args.Match: no values for the key matches; else any value as a regexp. */
export function filterMatch(f: Filters, key: string, source: string): boolean {
  const vals = f.get(key);
  if (!vals?.length) return true;
  return vals.some((v) => {
    try {
      return new RegExp(v).test(source);
    } catch {
      return false;
    }
  });
}

/** filters.Args.ExactMatch: no values for the key matches anything. */
export function exactMatch(f: Filters, key: string, source: string | undefined): boolean {
  const want = f.get(key);
  return !want?.length || (source !== undefined && want.includes(source));
}

/** filters.Args.FuzzyMatch: an exact match, or a value that prefixes the source. */
export function fuzzyMatch(f: Filters, key: string, source: string | undefined): boolean {
  const want = f.get(key);
  return !want?.length || (source !== undefined && want.some((w) => source.startsWith(w)));
}

/** filters.Args.MatchKVList: every "k" or "k=v" under `key` is present (no values: true). */
export function kvListMatch(f: Filters, key: string, labels: Record<string, string> | null | undefined): boolean {
  const vals = f.get(key);
  if (!vals?.length) return true;
  const l = labels ?? {};
  return vals.every((v) => {
    const eq = v.indexOf("=");
    return eq < 0 ? Object.hasOwn(l, v) : l[v.slice(0, eq)] === v.slice(eq + 1);
  });
}

/** filters.Args.MatchKVList for labels. */
export function labelsMatch(f: Filters, labels: Record<string, string> | null | undefined): boolean {
  return kvListMatch(f, "label", labels);
}

/** `--filter key=value` flags as docker/cli's opts.FilterOpt reads them (keys lower-cased). */
export function parseFilters(values: readonly string[]): Map<string, string[]> {
  const f = new Map<string, string[]>();
  for (const v of values) {
    const eq = v.indexOf("=");
    const key = v.slice(0, eq).trim().toLowerCase();
    f.set(key, [...(f.get(key) ?? []), v.slice(eq + 1)]);
  }
  return f;
}
