// docker update (cli/command/container/update.go): new limits and restart policy for
// one or more containers, printed by name as each succeeds.
import type { UpdateRequest } from "../../containers/update";
import { EngineError } from "../../errors";
import type { ParsedFlags } from "../flags";
import { CliError, type Cli } from "../context";
import { parseRestartPolicy, sharedResourceFlags } from "../run-options";

/** The flags as docker/cli fills container.UpdateConfig (unset = zero = unchanged). */
export function updateRequest(flags: ParsedFlags): UpdateRequest {
  let restart;
  try {
    restart = flags.string("restart") ? parseRestartPolicy(flags.string("restart")) : undefined;
  } catch (e) {
    throw new CliError((e as Error).message, 1);
  }
  const pids = flags.int("pids-limit");
  return {
    ...sharedResourceFlags(flags),
    PidsLimit: pids !== 0 ? pids : null,
    ...(restart ? { RestartPolicy: restart } : {}),
  };
}

// The VM's kernel has no RT group scheduling; what else it lacks the daemon drops with a warning.
const UNSUPPORTED = ["cpu-rt-period", "cpu-rt-runtime"];

export async function update(cli: Cli, flags: ParsedFlags, args: readonly string[]): Promise<number> {
  const given = flags.changedNames();
  if (!given.length) throw new CliError("you must provide one or more flags when using this command", 1);
  const unsupported = given.find((f) => UNSUPPORTED.includes(f));
  if (unsupported) throw new CliError(`Berth's VM cannot apply --${unsupported} (its kernel has no such cgroup controller)`, 1);
  const req = updateRequest(flags);
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const ref of args) {
    try {
      warnings.push(...(await cli.daemon.update(ref, req)).Warnings);
      cli.out(`${ref}\n`);
    } catch (e) {
      if (!(e instanceof EngineError)) throw e;
      errors.push(`Error response from daemon: ${e.message}`);
    }
  }
  // The CLI prints the daemon's warnings on stdout, after the names.
  if (warnings.length) cli.out(`${warnings.join("\n")}\n`);
  if (errors.length) throw new CliError(errors.join("\n"), 1);
  return 0;
}
