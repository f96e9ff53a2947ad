// Docker's --detach-keys notation ("ctrl-p,ctrl-q"), turned into the bytes the agent
// watches for on an attached client's stdin (GuestCommand.attach).

/** Docker's default: Ctrl-P then Ctrl-Q. */
export const DEFAULT_DETACH_KEYS: Uint8Array = Uint8Array.of(0x10, 0x11);

const CTRL_PUNCT: Record<string, number> = { "@": 0, "[": 27, "\\": 28, "]": 29, "^": 30, _: 31 };

/**
 * Parse a comma-separated key list as the docker CLI does: each key is one character or
 * `ctrl-<a-z @ [ \ ] ^ _>`. Throws an Error with Docker's wording on anything else.
 */
export function parseDetachKeys(spec: string): Uint8Array {
  const out: number[] = [];
  for (const key of spec.split(",")) {
    if (key.length === 1 && key.charCodeAt(0) < 0x80) {
      out.push(key.charCodeAt(0));
      continue;
    }
    const k = key.toLowerCase();
    const c = k.length === 6 && k.startsWith("ctrl-") ? k[5]! : "";
    if (c >= "a" && c <= "z") out.push(c.charCodeAt(0) - 0x60);
    else if (c in CTRL_PUNCT) out.push(CTRL_PUNCT[c]!);
    else throw new Error(`Unknown character: '${key}'`);
  }
  return Uint8Array.from(out);
}
