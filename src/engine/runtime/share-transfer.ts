// Moving bulk bytes between the host and guest processes through the engine's 9p share
// (guest path /mnt/berth/engine): the host writes or reads a file there, a guest process
// reads or writes it at the same path. Each transfer gets its own name and is deleted after.
import type { HostSandbox } from "../../sandbox/types";
import { randomId } from "../util/digest";

const SHARE = "/mnt/berth/engine";
const FOLDER = "xfer";

export interface Transfer {
  /** Path inside the share, for the host's engineFiles. */
  file: string;
  /** The same file as guest processes see it. */
  guest: string;
}

const ready = new WeakMap<HostSandbox, Promise<void>>();

/** A fresh transfer file name (the file itself does not exist yet). */
export async function newTransfer(vm: HostSandbox): Promise<Transfer> {
  let p = ready.get(vm);
  if (!p) {
    p = vm.engineFiles.mkdir(FOLDER);
    ready.set(vm, p);
  }
  await p;
  const file = `${FOLDER}/${randomId().slice(0, 16)}`;
  return { file, guest: `${SHARE}/${file}` };
}

/** Read a transfer file a guest process wrote, and delete it. */
export async function takeTransfer(vm: HostSandbox, t: Transfer): Promise<Uint8Array> {
  try {
    return await vm.engineFiles.read(t.file);
  } finally {
    await dropTransfer(vm, t);
  }
}

export function dropTransfer(vm: HostSandbox, t: Transfer): Promise<void> {
  return vm.engineFiles.remove(t.file).catch(() => {});
}
