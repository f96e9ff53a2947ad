// --security-opt as dockerd's parseSecurityOpt reads it. The VM's kernel has no AppArmor and
// no SELinux, so their options are kept and have no effect, as with dockerd on such a kernel.
// no-new-privileges is applied; a seccomp profile is not yet (containers run unconfined).
import { InvalidParameterError } from "../errors";
import { parseGoBool } from "../util/go-values";

export interface SecurityOptions {
  noNewPrivileges: boolean;
}

export function parseSecurityOpt(opts: readonly string[] | null | undefined): SecurityOptions {
  const out: SecurityOptions = { noNewPrivileges: false };
  for (const opt of opts ?? []) {
    if (opt === "no-new-privileges") {
      out.noNewPrivileges = true;
      continue;
    }
    if (opt === "disable") continue;
    // `:` is the separator dockerd still accepts with a deprecation warning.
    const sep = opt.includes("=") ? "=" : opt.includes(":") ? ":" : "";
    const at = sep ? opt.indexOf(sep) : -1;
    if (at < 0) throw new InvalidParameterError(`invalid --security-opt 1: "${opt}"`);
    const [key, value] = [opt.slice(0, at), opt.slice(at + 1)];
    switch (key) {
      case "label":
      case "apparmor":
        break;
      case "seccomp":
        if (value !== "unconfined") throw new InvalidParameterError("Berth does not support seccomp profiles yet");
        break;
      case "no-new-privileges":
        try {
          out.noNewPrivileges = parseGoBool(value);
        } catch {
          throw new InvalidParameterError(`invalid --security-opt 2: "${opt}"`);
        }
        break;
      default:
        throw new InvalidParameterError(`invalid --security-opt 2: "${opt}"`);
    }
  }
  return out;
}
