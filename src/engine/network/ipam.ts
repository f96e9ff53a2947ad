// Address management for the default bridge (libnetwork's default IPAM): the gateway
// takes .1 and each container the lowest free address; its MAC is derived from the IP.

export class Ipam {
  private used = new Set<number>();
  private readonly base: number;
  private readonly size: number;

  constructor(
    readonly subnet: string,
    readonly gateway: string,
  ) {
    const [addr, bits] = subnet.split("/");
    this.base = toInt(addr!);
    this.size = 2 ** (32 - Number(bits));
    this.used.add(toInt(gateway) - this.base);
  }

  allocate(): string {
    for (let i = 1; i < this.size - 1; i++) {
      if (!this.used.has(i)) {
        this.used.add(i);
        return toIp(this.base + i);
      }
    }
    throw new Error(`no available IPv4 addresses on this network's address pools: bridge (${this.subnet})`);
  }

  /** Mark an address in use (records reloaded after a restart). */
  claim(ip: string): void {
    this.used.add(toInt(ip) - this.base);
  }

  release(ip: string): void {
    const i = toInt(ip) - this.base;
    if (ip !== this.gateway) this.used.delete(i);
  }
}

function toInt(ip: string): number {
  return ip.split(".").reduce((n, p) => n * 256 + Number(p), 0);
}

function toIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");
}

/** Docker's generated MAC: 02:42 followed by the IPv4 address. */
export function macFor(ip: string): string {
  return ["02", "42", ...ip.split(".").map((p) => Number(p).toString(16).padStart(2, "0"))].join(":");
}
