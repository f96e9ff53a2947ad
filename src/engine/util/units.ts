// Size strings with docker/go-units semantics (RAMInBytes: binary multiples,
// case-insensitive suffixes), as Docker's "bytes" flag values use them.
import { parseGoFloat } from "./go-values";

/** go-units RAMInBytes (Docker's "bytes" flags such as --memory, --shm-size). */
export function ramInBytes(size: string): number {
  let sep = -1;
  for (let i = size.length - 1; i >= 0; i--) {
    if ("0123456789. ".includes(size[i] ?? "")) {
      sep = i;
      break;
    }
  }
  if (sep === -1) throw new Error(`invalid size: '${size}'`);
  let num: string;
  let sfx: string;
  if (size[sep] !== " ") {
    num = size.slice(0, sep + 1);
    sfx = size.slice(sep + 1);
  } else {
    num = size.slice(0, sep);
    sfx = size.slice(sep + 1);
  }
  const n = parseGoFloat(num);
  if (n < 0) throw new Error(`invalid size: '${size}'`);
  // int64(size): truncate, and there is no negative zero.
  if (sfx.length === 0) return Math.trunc(n) + 0;
  const bad = (): never => {
    throw new Error(`invalid suffix: '${sfx}'`);
  };
  if (sfx.length > 3) bad();
  sfx = sfx.toLowerCase();
  if (sfx[0] === "b") {
    if (sfx.length > 1) bad();
    return Math.trunc(n) + 0;
  }
  const mul = { k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 }[sfx[0] ?? ""];
  if (mul === undefined) return bad();
  if (sfx.length === 2 && sfx[1] !== "b") bad();
  if (sfx.length === 3 && sfx.slice(1) !== "ib") bad();
  return Math.trunc(n * mul) + 0;
}
