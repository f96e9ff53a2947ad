import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "../util/digest";
import { pruneSiteLayouts, siteLayoutReader, type FileCache } from "./site-layout";

/** Cache Storage's behaviour for what the reader uses; the browser's is exercised by the e2e test. */
class MapCache implements FileCache {
  readonly entries = new Map<string, Uint8Array>();
  async match(url: string): Promise<Response | undefined> {
    const b = this.entries.get(url);
    return b ? new Response(b.slice()) : undefined;
  }
  async put(url: string, res: Response): Promise<void> {
    this.entries.set(url, new Uint8Array(await res.arrayBuffer()));
  }
  async keys(): Promise<{ url: string }[]> {
    return [...this.entries.keys()].map((url) => ({ url }));
  }
  async delete(url: string): Promise<boolean> {
    return this.entries.delete(url);
  }
}

const enc = new TextEncoder();
const good = enc.encode("a layer");
const files = new Map<string, Uint8Array>();
let server: Server;
let root: string;
let requests: string[] = [];

beforeAll(async () => {
  const goodHex = await sha256Hex(good);
  files.set(`/images/k1/blobs/sha256/${goodHex}`, good);
  files.set(`/images/k1/blobs/sha256/${"0".repeat(64)}`, enc.encode("not what the name says"));
  files.set("/images/k1/index.json", enc.encode('{"manifests":[]}'));
  server = createServer((req, res) => {
    requests.push(req.url ?? "");
    const body = files.get(req.url ?? "");
    res.statusCode = body ? 200 : 404;
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  root = `http://127.0.0.1:${(server.address() as AddressInfo).port}/images/k1/`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("siteLayoutReader", () => {
  it("fetches a file once, then serves it from the cache", async () => {
    const cache = new MapCache();
    const read = siteLayoutReader(root, Promise.resolve(cache));
    requests = [];
    const path = `blobs/sha256/${await sha256Hex(good)}`;
    expect(await read(path)).toEqual(good);
    await new Promise((r) => setTimeout(r, 10)); // the cache write is not awaited
    expect(await read(path)).toEqual(good);
    expect(await read("index.json")).toEqual(enc.encode('{"manifests":[]}'));
    expect(requests).toEqual([`/images/k1/${path}`, "/images/k1/index.json"]);
  });

  it("rejects a blob whose bytes do not match its name, and never caches it", async () => {
    const cache = new MapCache();
    const read = siteLayoutReader(root, Promise.resolve(cache));
    await expect(read(`blobs/sha256/${"0".repeat(64)}`)).rejects.toThrow(`offline image blob sha256:${"0".repeat(64)} is corrupt`);
    expect(cache.entries.size).toBe(0);
  });

  it("says which file is missing", async () => {
    const read = siteLayoutReader(root, Promise.resolve(null));
    await expect(read(`blobs/sha256/${"1".repeat(64)}`)).rejects.toThrow(`could not fetch ${root}blobs/sha256/${"1".repeat(64)} (HTTP 404)`);
  });

  it("prunes files of other image builds", async () => {
    const cache = new MapCache();
    cache.entries.set(`${root}index.json`, good);
    cache.entries.set(root.replace("/k1/", "/k0/") + "index.json", good);
    await pruneSiteLayouts(root, Promise.resolve(cache));
    expect([...cache.entries.keys()]).toEqual([`${root}index.json`]);
  });
});
