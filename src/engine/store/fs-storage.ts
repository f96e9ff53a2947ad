// Storage in a directory (Node). Writes go to a temporary name and are renamed into
// place, so a crash never leaves a half-written record or blob.
import { mkdir, readFile, readdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { checkKey, type Storage } from "./storage";

export class FsStorage implements Storage {
  private seq = 0;
  constructor(readonly root: string) {}

  async get(key: string): Promise<Uint8Array | null> {
    try {
      return new Uint8Array(await readFile(join(this.root, checkKey(key))));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw e;
    }
  }

  async put(key: string, data: Uint8Array): Promise<void> {
    const path = join(this.root, checkKey(key));
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.tmp-${process.pid}-${this.seq++}`;
    await writeFile(tmp, data);
    await rename(tmp, path);
  }

  async delete(key: string): Promise<void> {
    await rm(join(this.root, checkKey(key)), { force: true });
  }

  async list(prefix: string): Promise<string[]> {
    const out: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
        throw e;
      }
      for (const ent of entries) {
        const p = join(dir, ent.name);
        if (ent.isDirectory()) await walk(p);
        else if (!ent.name.includes(".tmp-")) out.push(relative(this.root, p).split(sep).join("/"));
      }
    };
    // Walk only the deepest directory the prefix names.
    const dirPart = prefix.includes("/") ? prefix.slice(0, prefix.lastIndexOf("/")) : "";
    await walk(join(this.root, dirPart));
    return out.filter((k) => k.startsWith(prefix));
  }
}
