// docker port (cli/command/container/port.go): a container's published ports, from inspect.
import { EngineError } from "../../errors";
import type { ParsedFlags } from "../flags";
import { CliError, type Cli } from "../context";

/** nat.NewPort's check of the port number (strconv.ParseUint with 16 bits). */
function checkPort(port: string): void {
  if (!/^\d+$/.test(port)) throw new CliError(`Error: invalid port (${port}): strconv.ParseUint: parsing "${port}": invalid syntax`, 1);
  if (Number(port) > 65535) throw new CliError(`Error: invalid port (${port}): strconv.ParseUint: parsing "${port}": value out of range`, 1);
}

export async function port(cli: Cli, _f: ParsedFlags, args: readonly string[]): Promise<number> {
  const [ref = "", want] = args;
  let ports;
  try {
    ports = cli.daemon.inspect(ref).NetworkSettings.Ports ?? {};
  } catch (e) {
    if (!(e instanceof EngineError)) throw e;
    throw new CliError(`Error response from daemon: ${e.message}`, 1);
  }
  if (want) {
    const slash = want.indexOf("/");
    const num = slash >= 0 ? want.slice(0, slash) : want;
    const proto = slash >= 0 && slash < want.length - 1 ? want.slice(slash + 1) : "tcp";
    checkPort(num);
    const frontends = ports[`${num}/${proto}`];
    if (frontends) {
      for (const f of frontends) cli.out(`${f.HostIp}:${f.HostPort}\n`);
      return 0;
    }
    throw new CliError(`Error: No public port '${want}' published for ${ref}`, 1);
  }
  for (const [from, frontends] of Object.entries(ports)) for (const f of frontends ?? []) cli.out(`${from} -> ${f.HostIp}:${f.HostPort}\n`);
  return 0;
}
