// The headless twin: boots the same Vm under Node from the build cache. Used by the
// integration tests, `npx berth shell`, the benchmarks and the snapshot builder.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { artifacts } from "../../scripts/vm/lib.mjs";
import type { MachineImages } from "./machine";
import { Vm, type ImageSource, type VmOptions } from "./vm";

function buf(path: string): ArrayBuffer {
  const b = readFileSync(path);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

function need(path: string): string {
  if (!existsSync(path)) throw new Error(`missing VM artifact ${path}: run 'npm run vm:build'`);
  return path;
}

/** Reads the snapshot only if its recorded sha256 matches, so a corrupt file cold-boots. */
export function nodeImages(a = artifacts()): ImageSource {
  const base = () => ({ wasmPath: need(a.v86Wasm), bios: buf(need(a.bios)), vgaBios: buf(need(a.vgaBios)) });
  return {
    async snapshot(): Promise<MachineImages | null> {
      if (!existsSync(a.snapshot)) return null;
      const state = readFileSync(a.snapshot);
      const want = existsSync(a.snapshot + ".sha256") ? readFileSync(a.snapshot + ".sha256", "utf8").trim() : "";
      const got = createHash("sha256").update(state).digest("hex");
      if (want !== got) throw new Error(`snapshot checksum mismatch (${a.snapshot})`);
      return { ...base(), state: state.buffer.slice(state.byteOffset, state.byteOffset + state.byteLength) as ArrayBuffer };
    },
    async coldBoot(): Promise<MachineImages> {
      return { ...base(), bzImage: buf(need(a.bzImage)), initrd: buf(need(a.initramfs)) };
    },
  };
}

export async function bootNodeVm(opts: VmOptions & { images?: ImageSource } = {}): Promise<Vm> {
  const vm = new Vm(opts.images ?? nodeImages(), opts);
  await vm.start();
  return vm;
}
