// docker save/load archives. The two configs below are byte for byte what dockerd 20.10.24
// wrote for an imported busybox and a commit on top of it; the legacy layer IDs expected
// are the folder names in its `docker save` of them.
import { describe, expect, it } from "vitest";
import { readTar, writeTar } from "../archive/tar";
import { digestOf } from "../util/digest";
import { readImageArchive, writeDockerArchive, type SaveImage } from "./docker-archive";
import type { ImageConfigBlob } from "../api-types";

const BASE = "{\"architecture\":\"amd64\",\"comment\":\"Imported from -\",\"config\":{\"Hostname\":\"\",\"Domainname\":\"\",\"User\":\"\",\"AttachStdin\":false,\"AttachStdout\":false,\"AttachStderr\":false,\"Tty\":false,\"OpenStdin\":false,\"StdinOnce\":false,\"Env\":null,\"Cmd\":[\"sh\"],\"Image\":\"\",\"Volumes\":null,\"WorkingDir\":\"\",\"Entrypoint\":null,\"OnBuild\":null,\"Labels\":null},\"container_config\":{\"Hostname\":\"\",\"Domainname\":\"\",\"User\":\"\",\"AttachStdin\":false,\"AttachStdout\":false,\"AttachStderr\":false,\"Tty\":false,\"OpenStdin\":false,\"StdinOnce\":false,\"Env\":null,\"Cmd\":null,\"Image\":\"\",\"Volumes\":null,\"WorkingDir\":\"\",\"Entrypoint\":null,\"OnBuild\":null,\"Labels\":null},\"created\":\"2026-11-22T19:20:11.948941301Z\",\"docker_version\":\"20.10.24+dfsg1\",\"history\":[{\"created\":\"2026-11-22T19:20:11.948941301Z\",\"comment\":\"Imported from -\"}],\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:51ec31a94b640fee45a274b0080cd11e2bfb81d25969e7a8a73879067abf92cd\"]}}";
const CHILD = "{\"architecture\":\"amd64\",\"author\":\"me\",\"config\":{\"Hostname\":\"ecf808d523ba\",\"Domainname\":\"\",\"User\":\"\",\"AttachStdin\":false,\"AttachStdout\":true,\"AttachStderr\":true,\"Tty\":false,\"OpenStdin\":false,\"StdinOnce\":false,\"Env\":[\"A=1\"],\"Cmd\":[\"echo\",\"hi\"],\"Image\":\"busybox\",\"Volumes\":null,\"WorkingDir\":\"\",\"Entrypoint\":null,\"NetworkDisabled\":true,\"OnBuild\":null,\"Labels\":{}},\"container\":\"ecf808d523ba722ed361b80c532c1571045e650b479fa80f6de3a459d077fff5\",\"container_config\":{\"Hostname\":\"ecf808d523ba\",\"Domainname\":\"\",\"User\":\"\",\"AttachStdin\":false,\"AttachStdout\":true,\"AttachStderr\":true,\"Tty\":false,\"OpenStdin\":false,\"StdinOnce\":false,\"Env\":null,\"Cmd\":[\"sh\",\"-c\",\"mkdir -p /new/sub \\u0026\\u0026 echo x \\u003e /new/sub/f \\u0026\\u0026 rm /bin/ls \\u0026\\u0026 echo y \\u003e\\u003e /etc/passwd \\u0026\\u0026 rm -rf /tmp \\u0026\\u0026 mkdir /tmp \\u0026\\u0026 ln -s /etc /lnk\"],\"Image\":\"busybox\",\"Volumes\":null,\"WorkingDir\":\"\",\"Entrypoint\":null,\"NetworkDisabled\":true,\"OnBuild\":null,\"Labels\":{}},\"created\":\"2026-11-22T19:24:36.94459654Z\",\"docker_version\":\"20.10.24+dfsg1\",\"history\":[{\"created\":\"2026-11-22T19:20:11.948941301Z\",\"comment\":\"Imported from -\"},{\"created\":\"2026-11-22T19:24:36.94459654Z\",\"author\":\"me\",\"created_by\":\"sh -c mkdir -p /new/sub \\u0026\\u0026 echo x \\u003e /new/sub/f \\u0026\\u0026 rm /bin/ls \\u0026\\u0026 echo y \\u003e\\u003e /etc/passwd \\u0026\\u0026 rm -rf /tmp \\u0026\\u0026 mkdir /tmp \\u0026\\u0026 ln -s /etc /lnk\",\"comment\":\"my msg\"}],\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:51ec31a94b640fee45a274b0080cd11e2bfb81d25969e7a8a73879067abf92cd\",\"sha256:e781ab6dbd96aa109301ea9f04810d96802de03c3b082bd0ad790bde67672716\"]}}";

const enc = new TextEncoder();
const dec = new TextDecoder();

async function image(json: string, tags: string[], parent = ""): Promise<SaveImage> {
  const bytes = enc.encode(json);
  const config = JSON.parse(json) as ImageConfigBlob;
  return { id: await digestOf(bytes), configBytes: bytes, config, repoTags: tags, parent, layers: async () => config.rootfs.diff_ids.map((d) => enc.encode(`layer ${d}`)) };
}

describe("docker-archive", () => {
  it("names layers with dockerd's legacy IDs and writes its manifest", async () => {
    const base = await image(BASE, ["busybox:latest"]);
    const child = await image(CHILD, ["mine:v1"], base.id);
    expect(base.id).toBe("sha256:bba2142f4ea1593689f27028b4db2e36cf4a1afda7fbfeba077daa6cf2f3a3c9");
    const tar = await writeDockerArchive([child, base]);
    const entries = readTar(tar);
    const file = (n: string) => dec.decode(entries.find((e) => e.name === n)!.data);
    expect(JSON.parse(file("manifest.json"))).toEqual([
      {
        Config: "27f7973add1365fcc5a5f422e4b26b38340d8c5e751581cf4049aa571f69d078.json",
        RepoTags: ["mine:v1"],
        Layers: ["ce1a897d9852a9ddc4ae5b312edbf95f3b3788386b61c6f591ae1c6fbab6310d/layer.tar", "beff5fde814d398437312de532fbb3e00d94de61f3b3fd46209719ce70d6abc7/layer.tar"],
        Parent: "sha256:bba2142f4ea1593689f27028b4db2e36cf4a1afda7fbfeba077daa6cf2f3a3c9",
      },
      { Config: "bba2142f4ea1593689f27028b4db2e36cf4a1afda7fbfeba077daa6cf2f3a3c9.json", RepoTags: ["busybox:latest"], Layers: ["c68d4cf506fbf72055fb7fc7426e7a238dc433c74088e55b9ca2d8eb726eb8bb/layer.tar"] },
    ]);
    expect(JSON.parse(file("repositories"))).toEqual({ busybox: { latest: "c68d4cf506fbf72055fb7fc7426e7a238dc433c74088e55b9ca2d8eb726eb8bb" }, mine: { v1: "beff5fde814d398437312de532fbb3e00d94de61f3b3fd46209719ce70d6abc7" } });
    expect(file("beff5fde814d398437312de532fbb3e00d94de61f3b3fd46209719ce70d6abc7/VERSION")).toBe("1.0");
    // The second copy of the same layer is a symlink to the first, as dockerd writes it.
    const link = entries.find((e) => e.name === "c68d4cf506fbf72055fb7fc7426e7a238dc433c74088e55b9ca2d8eb726eb8bb/layer.tar")!;
    expect(link).toMatchObject({ type: "symlink", linkname: "../ce1a897d9852a9ddc4ae5b312edbf95f3b3788386b61c6f591ae1c6fbab6310d/layer.tar" });
    expect(entries.map((e) => e.name)).toEqual([...entries.map((e) => e.name)].sort());
  });

  it("reads back what it writes, following layer symlinks", async () => {
    const base = await image(BASE, ["busybox:latest"]);
    const layer = enc.encode("x");
    const config = { ...base.config, rootfs: { type: "layers" as const, diff_ids: [await digestOf(layer)] } };
    const bytes = enc.encode(JSON.stringify(config));
    const one: SaveImage = { id: await digestOf(bytes), configBytes: bytes, config, repoTags: [], parent: "", layers: async () => [layer] };
    const two: SaveImage = { ...one, repoTags: ["a:b"] };
    const loaded = await readImageArchive(await writeDockerArchive([one, two]));
    expect(loaded.map((l) => l.repoTags)).toEqual([[], ["a:b"]]);
    expect(dec.decode(loaded[0]!.layers[0]!)).toBe("x");
    expect(dec.decode(loaded[0]!.configBytes)).toBe(JSON.stringify(config));
  });

  it("reads OCI image layouts and checks every digest", async () => {
    const layer = enc.encode("layer bytes");
    const config = enc.encode(JSON.stringify({ architecture: "386", os: "linux", rootfs: { type: "layers", diff_ids: [await digestOf(layer)] } }));
    const manifest = enc.encode(JSON.stringify({ schemaVersion: 2, config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: await digestOf(config), size: config.length }, layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar", digest: await digestOf(layer), size: layer.length }] }));
    const index = { schemaVersion: 2, manifests: [{ mediaType: "application/vnd.oci.image.manifest.v1+json", digest: await digestOf(manifest), size: manifest.length, annotations: { "io.containerd.image.name": "docker.io/library/x:1" } }] };
    const blob = async (b: Uint8Array) => ({ name: `blobs/sha256/${(await digestOf(b)).slice(7)}`, type: "file" as const, data: b });
    const files = [{ name: "oci-layout", type: "file" as const, data: enc.encode('{"imageLayoutVersion":"1.0.0"}') }, { name: "index.json", type: "file" as const, data: enc.encode(JSON.stringify(index)) }, await blob(layer), await blob(config), await blob(manifest)];
    const [img] = await readImageArchive(writeTar(files));
    expect(img!.repoTags).toEqual(["docker.io/library/x:1"]);
    const bad = files.map((f) => (f.data === layer ? { ...f, data: enc.encode("tampered") } : f));
    await expect(readImageArchive(writeTar(bad))).rejects.toThrow(/does not match/);
  });

  it("says what dockerd says for a tar that is no image archive", async () => {
    await expect(readImageArchive(writeTar([{ name: "hello", type: "file", data: enc.encode("hi") }]))).rejects.toThrow(/^open \/var\/lib\/berth\/tmp\/docker-import-\d+\/repositories: no such file or directory$/);
  });
});
