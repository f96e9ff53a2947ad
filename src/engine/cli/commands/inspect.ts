// docker inspect / container inspect / image inspect: Docker's JSON, or a Go template per object.
import { EngineError } from "../../errors";
import { goJSON } from "../../format/go-json";
import { goStruct, parseTemplate } from "../../format/go-template";
import type { ParsedFlags } from "../flags";
import { CliError, type Cli } from "../context";

type Kind = "container" | "image" | "any";

export async function formatInspect(cli: Cli, flags: ParsedFlags, args: readonly string[], kind: Kind): Promise<number> {
  const d = cli.daemon;
  const type = flags.declares("type") ? flags.string("type") : "";
  if (type && !["container", "image", "network", "volume", "node", "service", "task", "plugin", "secret", "config"].includes(type)) {
    throw new CliError(`"${type}" is not a valid value for --type`, 1);
  }
  const want: Kind = kind !== "any" ? kind : type === "container" || type === "image" ? type : "any";
  const found: unknown[] = [];
  const errors: string[] = [];
  for (const ref of args) {
    let obj: unknown;
    if (want !== "image") {
      try {
        obj = goStruct("ContainerJSON", d.inspect(ref));
      } catch (e) {
        if (!(e instanceof EngineError)) throw e;
      }
    }
    if (obj === undefined && want !== "container") {
      const img = d.image(ref);
      if (img) obj = goStruct("ImageInspect", d.imageInspect(img));
    }
    if (obj === undefined) {
      errors.push(want === "container" ? `Error: No such container: ${ref}` : want === "image" ? `Error: No such image: ${ref}` : `Error: No such object: ${ref}`);
      continue;
    }
    found.push(obj);
  }
  const format = flags.string("format");
  if (format) {
    let tmpl;
    try {
      tmpl = parseTemplate(format);
    } catch (e) {
      throw new CliError(`template parsing error: ${(e as Error).message}`, 1);
    }
    for (const o of found) {
      try {
        cli.out(tmpl.execute(o) + "\n");
      } catch (e) {
        throw new CliError(`template: ${(e as Error).message.replace(/^template: /, "")}`, 1);
      }
    }
  } else {
    cli.out((found.length ? goJSON(found, { indent: "    ", escapeHTML: true }) : "[]") + "\n");
  }
  if (errors.length) {
    cli.err(errors.join("\n") + "\n");
    return 1;
  }
  return 0;
}
