// The daemon's event stream (`docker events`, GET /events, the page's dashboard).
// Recent events are kept so `--since` can replay them.
import type { EngineEvent } from "../api-types";

const KEEP = 1000;

export class EventBus {
  private recent: EngineEvent[] = [];
  private listeners = new Set<(e: EngineEvent) => void>();

  emit(type: EngineEvent["Type"], action: string, id: string, attributes: Record<string, string> = {}): EngineEvent {
    const nowMs = Date.now();
    const ev: EngineEvent = {
      Type: type,
      Action: action,
      Actor: { ID: id, Attributes: attributes },
      scope: "local",
      time: Math.floor(nowMs / 1000),
      timeNano: nowMs * 1e6,
    };
    // Docker keeps the old top-level fields for container and image events.
    if (type === "container" || type === "image") {
      ev.status = action;
      ev.id = id;
      if (type === "container" && attributes.image) ev.from = attributes.image;
    }
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
