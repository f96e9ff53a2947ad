// container prune, image prune and system prune (cli/command/{container,image,system}/prune.go):
// Docker's warnings and [y/N] prompt on the client's stdin, then the daemon's reports.
import { EngineError } from "../../errors";
import { humanSize } from "../../format/units";
import { pruneContainers, pruneImages } from "../../prune";
import type { ParsedFlags } from "../flags";
import { CliError, type Cli } from "../context";
import { parseFilters } from "../../util/filter-args";

/** command.PromptForConfirmation: print the question, read one line, "y" or "Y" is yes. */
export function confirm(cli: Cli, message: string): Promise<boolean> {
  cli.out(`${message} [y/N] `);
  return new Promise((resolve) => {
    let line = "";
    const dec = new TextDecoder();
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      cli.cmd.readStdin(false);
      resolve(line.toLowerCase() === "y");
    };
    cli.cmd.onStdin((chunk) => {
      if (!chunk.length) return finish();
      line += dec.decode(chunk, { stream: true });
      const nl = line.search(/\r?\n/);
      if (nl >= 0) {
        line = line.slice(0, nl);
        finish();
      }
    });
    cli.cmd.onGone(finish);
    cli.cmd.readStdin(true);
  });
}

const CONTAINER_WARNING = "WARNING! This will remove all stopped containers.\nAre you sure you want to continue?";
const IMAGE_WARNING = {
  dangling: "WARNING! This will remove all dangling images.\nAre you sure you want to continue?",
  all: "WARNING! This will remove all images without at least one container associated to them.\nAre you sure you want to continue?",
};

const daemonCall = async <T>(fn: () => Promise<T>): Promise<T> => {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof EngineError) throw new CliError(`Error response from daemon: ${e.message}`, 1);
    throw e;
  }
};

/** One prune step: what it prints, and the bytes it freed. */
async function containersStep(cli: Cli, filters: readonly string[]): Promise<{ output: string; space: number }> {
  const rep = await daemonCall(() => pruneContainers(cli.daemon, parseFilters(filters)));
  if (!rep.ContainersDeleted.length) return { output: "", space: 0 };
  return { output: `Deleted Containers:\n${rep.ContainersDeleted.map((id) => `${id}\n`).join("")}`, space: rep.SpaceReclaimed };
}

async function imagesStep(cli: Cli, all: boolean, filters: readonly string[]): Promise<{ output: string; space: number }> {
  const f = parseFilters(filters);
  f.set("dangling", [...(f.get("dangling") ?? []), String(!all)]);
  const rep = await daemonCall(() => pruneImages(cli.daemon, f));
  if (!rep.ImagesDeleted.length) return { output: "", space: 0 };
  const lines = rep.ImagesDeleted.map((d) => ("Untagged" in d ? `untagged: ${d.Untagged}\n` : `deleted: ${d.Deleted}\n`));
  return { output: `Deleted Images:\n${lines.join("")}`, space: rep.SpaceReclaimed };
}

const total = (space: number) => `Total reclaimed space: ${humanSize(space)}\n`;

export async function containerPrune(cli: Cli, flags: ParsedFlags): Promise<number> {
  if (!flags.bool("force") && !(await confirm(cli, CONTAINER_WARNING))) return 0;
  const r = await containersStep(cli, flags.strings("filter"));
  cli.out((r.output ? `${r.output}\n` : "") + total(r.space));
  return 0;
}

export async function imagePrune(cli: Cli, flags: ParsedFlags): Promise<number> {
  const all = flags.bool("all");
  if (!flags.bool("force") && !(await confirm(cli, all ? IMAGE_WARNING.all : IMAGE_WARNING.dangling))) return 0;
  const r = await imagesStep(cli, all, flags.strings("filter"));
  cli.out((r.output ? `${r.output}\n` : "") + total(r.space));
  return 0;
}

/** system prune's confirmation (confirmationTemplate), with the build cache step the 1.41 API has. */
export function systemPruneWarning(all: boolean, volumes: boolean, filters: readonly string[]): string {
  const warnings = ["all stopped containers", "all networks not used by at least one container"];
  if (volumes) warnings.push("all volumes not used by at least one container");
  warnings.push(all ? "all images without at least one container associated to them" : "all dangling images");
  warnings.push(all ? "all build cache" : "all dangling build cache");
  const f = parseFilters(filters);
  const shown = ["label", "label!", "until"].flatMap((k) => (f.get(k) ?? []).map((v) => `${k}=${v}`)).sort();
  const filterText = shown.length ? `\n  Items to be pruned will be filtered with:${shown.map((s) => `\n  - ${s}`).join("")}\n` : "";
  return `WARNING! This will remove:${warnings.map((w) => `\n  - ${w}`).join("")}\n${filterText}\nAre you sure you want to continue?`;
}

export async function systemPrune(cli: Cli, flags: ParsedFlags): Promise<number> {
  const all = flags.bool("all");
  const volumes = flags.bool("volumes");
  const filters = flags.strings("filter");
  if (volumes && parseFilters(filters).has("until")) throw new CliError('ERROR: The "until" filter is not supported with "--volumes"', 1);
  if (!flags.bool("force") && !(await confirm(cli, systemPruneWarning(all, volumes, filters)))) return 0;
  let space = 0;
  // Networks, volumes and build cache: Berth has no user networks, volumes or builder yet, so
  // those steps find nothing, as dockerd's would with none.
  for (const step of [() => containersStep(cli, filters), () => imagesStep(cli, all, filters)]) {
    const r = await step();
    space += r.space;
    if (r.output) cli.out(`${r.output}\n`);
  }
  cli.out(total(space));
  return 0;
}
