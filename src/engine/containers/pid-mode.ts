// HostConfig.PidMode, as api/types/container's PidMode reads it: "" (a pid namespace of
// the container's own), "host" (the VM's), or "container:<name|id>" (another container's).

/** PidMode.Valid: what docker/cli accepts for --pid. */
export function validPidMode(mode: string): boolean {
  const parts = mode.split(":");
  switch (parts[0]) {
    case "":
    case "host":
      // Only the first part counts here, as in Go ("host:x" passes).
      return true;
    case "container":
      return parts.length === 2 && parts[1] !== "";
    default:
      return false;
  }
}

/** The container whose pid namespace `mode` joins (PidMode.Container), or undefined. */
export function pidModeContainer(mode: string): string | undefined {
  const colon = mode.indexOf(":");
  return colon >= 0 && mode.slice(0, colon) === "container" ? mode.slice(colon + 1) : undefined;
}

/** PidMode.IsPrivate: neither the host's namespace nor another container's. */
export const isPrivatePidMode = (mode: string): boolean => mode !== "host" && pidModeContainer(mode) === undefined;
