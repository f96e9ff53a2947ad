// v86 zeroes all guest memory before it unpacks a saved state: about 300 ms for 512 MiB,
// and it makes the host commit every page. A brand-new emulator's memory is already zero
// above 1 MiB (checked with is_memory_zeroed); below it v86 has just written the BIOS
// images. So the first restore of a new emulator clears only that first MiB.
import type { V86 } from "v86";

const LOW_MEMORY = 1 << 20;

interface Cpu {
  unpack_memory(bitmap: unknown, packed: Uint8Array): void;
  zero_memory(addr: number, length: number): void;
}

export function restoreWithoutZeroing(emulator: V86): void {
  let inner: { cpu: Cpu } | undefined;
  // The starter assigns `emulator.v86` once its wasm is loaded, and restores right after.
  Object.defineProperty(emulator, "v86", {
    configurable: true,
    get: () => inner,
    set: (v: { cpu: Cpu }) => {
      inner = v;
      const cpu = v.cpu;
      const unpack = cpu.unpack_memory;
      cpu.unpack_memory = function (bitmap, packed) {
        cpu.unpack_memory = unpack; // only the first restore starts from fresh memory
        const zero = cpu.zero_memory;
        cpu.zero_memory = (addr, length) => zero.call(cpu, addr, Math.min(length, LOW_MEMORY - addr));
        try {
          unpack.call(cpu, bitmap, packed);
        } finally {
          cpu.zero_memory = zero;
        }
      };
    },
  });
}
