// The emulated machine. A saved state restores only under the same v86 build and these
// device options, so this file is an input of the snapshot's cache key
// (scripts/vm/lib.mjs): change anything here and the snapshot is rebuilt.
import type { V86Options } from "v86";

export const MACHINE = {
  memoryBytes: 512 * 1024 * 1024,
  vgaMemoryBytes: 2 * 1024 * 1024,
  cmdline: "console=ttyS0 tsc=reliable mitigations=off random.trust_cpu=on quiet",
  /** virtio-console port of the agent's control channel (/dev/hvc1 in the guest). */
  controlPort: 1,
  /** Guest paths. */
  workspace: "/workspace",
  /** Where the 9p share is mounted in the guest; the workspace is its "workspace" folder. */
  shareMount: "/mnt/berth",
  /** The engine's folder of the share (see HostSandbox.engineFiles). */
  engineShare: "/mnt/berth/engine",
} as const;

/** With crun's read-only bind mount from /init, this skips its self-copy on every run. */
export const CRUN_ENV = "_LIBCONTAINER_CLONED_BINARY=1";

export interface MachineImages {
  wasmPath: string;
  bios: ArrayBuffer;
  vgaBios: ArrayBuffer;
  /** A zstd-compressed saved state; without it the machine cold-boots the kernel. */
  state?: ArrayBuffer;
  bzImage?: ArrayBuffer;
  initrd?: ArrayBuffer;
}

export function v86Options(images: MachineImages): V86Options {
  const opts: V86Options = {
    wasm_path: images.wasmPath,
    bios: { buffer: images.bios },
    vga_bios: { buffer: images.vgaBios },
    memory_size: MACHINE.memoryBytes,
    vga_memory_size: MACHINE.vgaMemoryBytes,
    filesystem: {},
    virtio_console: { type: "none" },
    autostart: true,
    disable_keyboard: true,
    disable_mouse: true,
    disable_speaker: true,
    acpi: false,
  };
  if (images.state) {
    opts.initial_state = { buffer: images.state };
  } else {
    if (!images.bzImage || !images.initrd) throw new Error("cold boot needs bzImage and initrd");
    opts.bzimage = { buffer: images.bzImage };
    opts.initrd = { buffer: images.initrd };
    opts.cmdline = MACHINE.cmdline;
  }
  return opts;
}
