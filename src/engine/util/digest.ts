// sha256 digests as OCI writes them ("sha256:<64 hex>"), with Web Crypto so the same
// code runs in the browser worker and in Node.

export async function sha256Hex(data: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", data as Uint8Array<ArrayBuffer>));
  let s = "";
  for (const b of d) s += b.toString(16).padStart(2, "0");
  return s;
}

export async function digestOf(data: Uint8Array): Promise<string> {
  return `sha256:${await sha256Hex(data)}`;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;

export function isDigest(s: string): boolean {
  return DIGEST.test(s);
}

/** 64 random hex digits: container and exec IDs, as dockerd makes them. */
export function randomId(): string {
  const b = crypto.getRandomValues(new Uint8Array(32));
  let s = "";
  for (const x of b) s += x.toString(16).padStart(2, "0");
  // Docker avoids all-numeric short IDs, which would read as numbers.
  return /^\d{12}/.test(s) ? randomId() : s;
}
