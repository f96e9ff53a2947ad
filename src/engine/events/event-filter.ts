// dockerd's events filter (daemon/events/filter.go, Filter.Include): which events a
// `docker events --filter …` or GET /events?filters=… subscriber sees.
import type { EngineEvent } from "../api-types";
import { familiarName, parseNormalizedNamed } from "../images/reference";
import { exactMatch as exact, fuzzyMatch as fuzzy, labelsMatch, type Filters as EventFilters } from "../util/filter-args";

/** fuzzyMatchName: the actor's ID or its name attribute, fuzzily. */
function byName(f: EventFilters, key: string, e: EngineEvent): boolean {
  return !f.get(key)?.length || fuzzy(f, key, e.Actor.ID) || fuzzy(f, key, e.Actor.Attributes.name);
}

/** reference.FamiliarName of an image reference, or the text itself if it is none. */
function stripTag(image: string): string {
  try {
    return familiarName(parseNormalizedNamed(image));
  } catch {
    return image;
  }
}

/** The filter as a predicate. dockerd does not validate the keys here: unknown ones match everything. */
export function eventFilter(f: EventFilters): (e: EngineEvent) => boolean {
  // exec_create, exec_start and health_status carry ": command" after them; the bare word matches.
  const fuzzyEvent = (f.get("event") ?? []).some((v) => ["health_status", "exec_create", "exec_start"].includes(v));
  return (e) => {
    const a = e.Actor.Attributes;
    const image = (e.Type === "image" ? a.name : a.image) ?? "";
    return (
      (fuzzyEvent ? fuzzy(f, "event", e.Action) : exact(f, "event", e.Action)) &&
      exact(f, "type", e.Type) &&
      exact(f, "scope", e.scope) &&
      byName(f, "daemon", e) &&
      byName(f, "container", e) &&
      byName(f, "plugin", e) &&
      byName(f, "volume", e) &&
      byName(f, "network", e) &&
      (!f.get("image")?.length || [e.Actor.ID, image, stripTag(e.Actor.ID), stripTag(image)].some((s) => exact(f, "image", s))) &&
      byName(f, "node", e) &&
      byName(f, "service", e) &&
      byName(f, "secret", e) &&
      byName(f, "config", e) &&
      labelsMatch(f, a)
    );
  };
}

