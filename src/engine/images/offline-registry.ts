// The playground's offline set: images built from Debian packages at setup, kept as one
// OCI image layout. `docker pull` serves from here. The layout is read through a
// function, so Node reads the build cache and the browser fetches the same files.
import { digestOf } from "../util/digest";
import { asIndex, asManifest, type OciManifest } from "./oci";
import { familiarString, parseNormalizedNamed } from "./reference";

export type ReadFile = (path: string) => Promise<Uint8Array>;

export interface OfflineImage {
  /** Full reference, e.g. "docker.io/library/busybox:latest". */
  name: string;
  manifestDigest: string;
  manifest: OciManifest;
}

const json = (b: Uint8Array): unknown => JSON.parse(new TextDecoder().decode(b));

export class OfflineRegistry {
  private listing: Promise<OfflineImage[]> | undefined;

  constructor(private readonly read: ReadFile) {}

  list(): Promise<OfflineImage[]> {
    this.listing ??= this.load().catch((e: unknown) => {
      this.listing = undefined;
      throw e;
    });
    return this.listing;
  }

  private async load(): Promise<OfflineImage[]> {
    const index = asIndex(json(await this.read("index.json")), "offline images index.json");
    const out: OfflineImage[] = [];
    for (const d of index.manifests) {
      const name = d.annotations?.["io.containerd.image.name"];
      if (!name) continue;
      const bytes = await this.blob(d.digest);
      out.push({ name, manifestDigest: d.digest, manifest: asManifest(json(bytes), `offline image ${name}`) });
    }
    return out;
  }

  async find(fullName: string): Promise<OfflineImage | undefined> {
    return (await this.list()).find((i) => i.name === fullName);
  }

  /** Familiar names ("busybox:latest") for error messages. */
  async names(): Promise<string[]> {
    return (await this.list()).map((i) => familiarString(parseNormalizedNamed(i.name)));
  }

  /** A blob, checked against its digest. */
  async blob(digest: string): Promise<Uint8Array> {
    const data = await this.read(`blobs/${digest.replace(":", "/")}`);
    if ((await digestOf(data)) !== digest) throw new Error(`offline image blob ${digest} is corrupt`);
    return data;
  }
}
