// The engine's state on disk: keys, blobs verified on read, images and their names,
// surviving a reopen as /var/lib/docker survives a daemon restart.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ContentStore, DigestMismatchError } from "../content/content-store";
import { ImageStore, imageSize, type ImageRecord } from "../images/image-store";
import { parseReference } from "../images/reference";
import { digestOf } from "../util/digest";
import { FsStorage } from "./fs-storage";
import { checkKey, getJson, putJson } from "./storage";

let dir: string;
let storage: FsStorage;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "berth-store-"));
  storage = new FsStorage(dir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const bytes = (s: string) => new TextEncoder().encode(s);

describe("storage keys", () => {
  it("accepts the engine's own keys and refuses anything that could escape the folder", () => {
    expect(checkKey("blobs/sha256/abc")).toBe("blobs/sha256/abc");
    for (const bad of ["../x", "a/../../b", "/abs", "a//b", "a/./b", "", "a b", "a\\b"]) expect(() => checkKey(bad), bad).toThrow("invalid storage key");
  });

  it("writes atomically, lists by prefix and deletes", async () => {
    await storage.put("containers/a.json", bytes("1"));
    await putJson(storage, "containers/b.json", { x: 2 });
    await storage.put("images/c.json", bytes("3"));
    expect((await storage.list("containers/")).sort()).toEqual(["containers/a.json", "containers/b.json"]);
    expect(await getJson(storage, "containers/b.json")).toEqual({ x: 2 });
    expect(readdirSync(join(dir, "containers")).some((f) => f.includes(".tmp-"))).toBe(false);
    await storage.delete("containers/a.json");
    expect(await storage.get("containers/a.json")).toBeNull();
    expect(await storage.list("nothing/")).toEqual([]);
  });
});

describe("content store", () => {
  it("stores blobs by sha256 and verifies them on every read", async () => {
    const content = new ContentStore(storage);
    const d = await content.put(bytes("layer"));
    expect(d).toBe(await digestOf(bytes("layer")));
    expect(new TextDecoder().decode(await content.get(d))).toBe("layer");
    expect(await content.list()).toEqual([d]);
    // A blob changed on disk is an error, never used.
    writeFileSync(join(dir, "blobs/sha256", d.slice(7)), "tampered");
    await expect(content.get(d)).rejects.toThrow(DigestMismatchError);
    // put with an expected digest refuses other bytes.
    await expect(content.put(bytes("x"), d)).rejects.toThrow(/digest mismatch/);
  });
});

describe("image store", () => {
  async function image(content: ContentStore, text: string): Promise<Omit<ImageRecord, "repoTags" | "repoDigests" | "lastTagTime">> {
    const layer = await content.put(bytes(text));
    const config = { architecture: "386", os: "linux", config: { Cmd: ["sh"] }, rootfs: { type: "layers", diff_ids: [layer] } };
    const id = await content.put(bytes(JSON.stringify(config)));
    return { id, config: config as ImageRecord["config"], layers: [{ diffId: layer, blob: layer, mediaType: "application/vnd.oci.image.layer.v1.tar", size: text.length }], parent: "" };
  }

  it("resolves names as Docker does, moves tags, and survives a reopen", async () => {
    const content = new ContentStore(storage);
    const store = await ImageStore.open(storage, content);
    const a = await store.add(await image(content, "aaaa"), "docker.io/library/busybox@sha256:" + "1".repeat(64));
    await store.tag(a.id, parseReference("busybox"));
    await store.tag(a.id, parseReference("busybox:1.35"));
    expect(store.resolve("busybox")?.id).toBe(a.id);
    expect(store.resolve("docker.io/library/busybox:latest")?.id).toBe(a.id);
    expect(store.resolve("busybox:1.35")?.id).toBe(a.id);
    expect(store.resolve(a.id.slice(7, 19))?.id).toBe(a.id);
    expect(store.resolve(a.id)?.id).toBe(a.id);
    expect(store.resolve("busybox:nope")).toBeUndefined();
    expect(imageSize(a)).toBe(4);

    const b = await store.add(await image(content, "bbbbbb"));
    const lost = await store.tag(b.id, parseReference("busybox:latest"));
    expect(lost?.id).toBe(a.id);
    expect(store.resolve("busybox")?.id).toBe(b.id);
    expect(store.get(a.id)?.repoTags).toEqual(["docker.io/library/busybox:1.35"]);

    const again = await ImageStore.open(storage, content);
    expect(again.resolve("busybox")?.id).toBe(b.id);
    expect(again.resolve("busybox:1.35")?.id).toBe(a.id);
    expect(again.list()).toHaveLength(2);
  });

  it("deletes an image's blobs only when no other image uses them", async () => {
    const content = new ContentStore(storage);
    const store = await ImageStore.open(storage, content);
    const a = await store.add(await image(content, "shared"));
    const b = await store.add({ ...(await image(content, "shared")), id: "sha256:" + "2".repeat(64) });
    await store.delete(a.id);
    expect(await content.has(b.layers[0]!.blob)).toBe(true);
    await store.delete(b.id);
    expect(await content.has(b.layers[0]!.blob)).toBe(false);
    expect(await storage.list("images/")).toEqual([]);
  });

  it("skips a damaged record instead of failing to open", async () => {
    const content = new ContentStore(storage);
    const store = await ImageStore.open(storage, content);
    await store.add(await image(content, "ok"));
    await storage.put("images/broken.json", bytes("{not json"));
    expect((await ImageStore.open(storage, content)).list()).toHaveLength(1);
  });
});
