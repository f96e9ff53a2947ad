// The daemon's event stream (`docker events`, GET /events, the page's dashboard).
// Recent events are kept so `--since` can replay them, as many as dockerd keeps (eventsLimit).
import type { EngineEvent } from "../api-types";

const KEEP = 256;

export class EventBus {
  private recent: EngineEvent[] = [];
  private listeners = new Set<(e: EngineEvent) => void>();
  private lastNano = 0;

  emit(type: EngineEvent["Type"], action: string, id: string, attributes: Record<string, string> = {}): EngineEvent {
    // Wall-clock milliseconds (so --since/--until compare with the client's clock) plus the
    // monotonic clock's microseconds; a double holds nanoseconds to a few hundred.
    // Kept increasing, so events in one millisecond stay in order.
    const timeNano = Math.max(Date.now() * 1e6 + (Math.floor(performance.now() * 1000) % 1000) * 1000, this.lastNano + 1000);
    this.lastNano = timeNano;
    // Docker keeps the old top-level fields for container and image events; the JSON
    // keeps dockerd's field order and a Go map's sorted attributes.
    const legacy = type === "container" || type === "image";
    const ev: EngineEvent = {
      ...(legacy ? { status: action, ...(id ? { id } : {}) } : {}),
      ...(type === "container" && attributes.image ? { from: attributes.image } : {}),
      Type: type,
      Action: action,
      Actor: { ID: id, Attributes: Object.fromEntries(Object.entries(attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) },
      scope: "local",
      time: Math.floor(timeNano / 1e9),
      timeNano,
    };
    this.recent.push(ev);
    if (this.recent.length > KEEP) this.recent.splice(0, this.recent.length - KEEP);
    for (const l of this.listeners) l(ev);
    return ev;
  }

  /** Past events (oldest first) and a live subscription. */
  subscribe(cb: (e: EngineEvent) => void): { past: EngineEvent[]; close: () => void } {
    this.listeners.add(cb);
    return { past: [...this.recent], close: () => this.listeners.delete(cb) };
  }
}
