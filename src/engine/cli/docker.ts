// The `docker` command in the guest: parse argv as docker/cli 20.10 does and run the
// command against the daemon. Output goes straight to the client's own descriptors.
import type { GuestCommand } from "../../sandbox/types";
import type { Daemon } from "../daemon";
import { EngineError } from "../errors";
import type { ParsedFlags } from "./flags";
import { parseCommandLine } from "./command-line";
import { CliError, Cli } from "./context";
import * as containers from "./commands/containers";
import * as images from "./commands/images";
import * as system from "./commands/system";
import * as archive from "./commands/archive";
import { stats } from "./commands/stats";
import { events } from "./commands/events";
import { update } from "./commands/update";
import { port } from "./commands/port";
import { containerPrune, imagePrune, systemPrune } from "./commands/prune";
import { df } from "./commands/df";

type Handler = (cli: Cli, flags: ParsedFlags, args: readonly string[]) => Promise<number>;

/** Commands by the last word of their path; management forms resolve to the same handler. */
const HANDLERS: Record<string, Handler> = {
  "docker run": containers.run,
  "docker create": containers.create,
  "docker start": containers.start,
  "docker stop": containers.stop,
  "docker restart": containers.restart,
  "docker kill": containers.kill,
  "docker pause": containers.pause,
  "docker unpause": containers.unpause,
  "docker rm": containers.rm,
  "docker rename": containers.rename,
  "docker wait": containers.wait,
  "docker ps": containers.ps,
  "docker logs": containers.logs,
  "docker exec": containers.exec,
  "docker attach": containers.attach,
  "docker top": containers.top,
  "docker stats": stats,
  "docker update": update,
  "docker port": port,
  "docker container prune": containerPrune,
  "docker image prune": imagePrune,
  "docker system prune": systemPrune,
  "docker system df": df,
  "docker inspect": (cli, f, a) => containers.inspect(cli, f, a, "any"),
  "docker container inspect": (cli, f, a) => containers.inspect(cli, f, a, "container"),
  "docker image inspect": (cli, f, a) => containers.inspect(cli, f, a, "image"),
  "docker images": images.images,
  "docker pull": images.pull,
  "docker tag": images.tag,
  "docker rmi": images.rmi,
  "docker version": system.version,
  "docker info": system.info,
  "docker events": events,
  "docker cp": archive.cp,
  "docker diff": archive.diff,
  "docker commit": archive.commit,
  "docker export": archive.exportContainer,
  "docker import": archive.importImage,
  "docker save": archive.save,
  "docker load": archive.load,
  "docker history": archive.history,
};

/** Management-command paths that mean the same as a top-level command. */
const ALIASES: Record<string, string> = {
  "docker container run": "docker run",
  "docker container create": "docker create",
  "docker container start": "docker start",
  "docker container stop": "docker stop",
  "docker container restart": "docker restart",
  "docker container kill": "docker kill",
  "docker container pause": "docker pause",
  "docker container unpause": "docker unpause",
  "docker container rm": "docker rm",
  "docker container rename": "docker rename",
  "docker container wait": "docker wait",
  "docker container ls": "docker ps",
  "docker container logs": "docker logs",
  "docker container exec": "docker exec",
  "docker container attach": "docker attach",
  "docker container top": "docker top",
  "docker container stats": "docker stats",
  "docker container update": "docker update",
  "docker container port": "docker port",
  "docker image ls": "docker images",
  "docker image pull": "docker pull",
  "docker image tag": "docker tag",
  "docker image rm": "docker rmi",
  "docker system info": "docker info",
  "docker system events": "docker events",
  "docker container cp": "docker cp",
  "docker container diff": "docker diff",
  "docker container commit": "docker commit",
  "docker container export": "docker export",
  "docker image import": "docker import",
  "docker image save": "docker save",
  "docker image load": "docker load",
  "docker image history": "docker history",
};

export function handlerFor(path: string): Handler | undefined {
  return HANDLERS[path] ?? HANDLERS[ALIASES[path] ?? ""];
}

/** Serve one `docker …` invocation from the guest; ends it with the exit code. */
export async function dockerMain(daemon: Daemon, cmd: GuestCommand): Promise<void> {
  const cli = new Cli(daemon, cmd);
  const recorded = daemon.history.begin(cmd.argv, cmd.cwd, cmd.env);
  let code: number;
  try {
    code = await dispatch(cli, cmd.argv.slice(1));
  } catch (e) {
    if (e instanceof CliError) {
      cli.err(e.message.endsWith("\n") ? e.message : e.message + "\n");
      code = e.code;
    } else if (e instanceof EngineError) {
      cli.err(`Error response from daemon: ${e.message}\n`);
      code = 1;
    } else {
      cli.err(`Berth engine error: ${(e as Error).stack ?? String(e)}\n`);
      code = 1;
    }
  }
  recorded(code);
  cmd.exit(code);
}

async function dispatch(cli: Cli, argv: readonly string[]): Promise<number> {
  const line = parseCommandLine(argv, { width: cli.width });
  if (line.kind !== "unsupported" && line.stdout) cli.out(line.stdout);
  if (line.stderr) cli.err(line.stderr);
  if (line.kind === "exit") return line.exitCode;
  if (line.kind === "unsupported") {
    throw new CliError(`Berth does not implement '${line.path}'. See 'docker --help' for the commands it has.`, 1);
  }
  const handler = handlerFor(line.spec.path);
  if (!handler) throw new CliError(`Berth does not implement '${line.spec.path}' yet. See 'docker --help' for the commands it has.`, 1);
  return handler(cli, line.flags, line.args);
}
