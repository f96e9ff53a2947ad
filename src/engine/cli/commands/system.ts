// docker version and docker info: the client is the guest's docker, the server is this engine.
import type { ParsedFlags } from "../flags";
import { renderTemplate } from "../../format/go-template";
import { bytesSize } from "../../format/units";
import { CliError, type Cli } from "../context";

export const ENGINE_VERSION = { version: "20.10.24", api: "1.41", minApi: "1.12", git: "5d6db84", go: "go1.19.8" } as const;

function versionData() {
  return {
    Client: {
      Platform: { Name: "" },
      Version: ENGINE_VERSION.version,
      ApiVersion: ENGINE_VERSION.api,
      DefaultAPIVersion: ENGINE_VERSION.api,
      GitCommit: "297e128",
      GoVersion: ENGINE_VERSION.go,
      Os: "linux",
      Arch: "386",
      BuildTime: "Thu Apr 13 09:31:09 2023",
      Context: "default",
      Experimental: true,
    },
    Server: {
      Platform: { Name: "Berth (in-browser engine)" },
      Components: [
        { Name: "Engine", Version: ENGINE_VERSION.version, Details: { ApiVersion: `${ENGINE_VERSION.api} (minimum version ${ENGINE_VERSION.minApi})` } },
      ],
      Version: ENGINE_VERSION.version,
      ApiVersion: ENGINE_VERSION.api,
      MinAPIVersion: ENGINE_VERSION.minApi,
      GitCommit: ENGINE_VERSION.git,
      GoVersion: "TypeScript",
      Os: "linux",
      Arch: "386",
      KernelVersion: "6.1",
      BuildTime: "",
    },
  };
}

export async function version(cli: Cli, flags: ParsedFlags): Promise<number> {
  const v = versionData();
  const format = flags.string("format");
  if (format) {
    try {
      cli.out(renderTemplate(format, v) + "\n");
    } catch (e) {
      throw new CliError(`template: ${(e as Error).message}`, 1);
    }
    return 0;
  }
  const kernel = (await cli.daemon.sandbox.exec(["uname", "-r"])).stdout.trim();
  cli.out(`Client:
 Version:           ${v.Client.Version}
 API version:       ${v.Client.ApiVersion}
 Go version:        ${v.Client.GoVersion}
 Git commit:        ${v.Client.GitCommit}
 Built:             ${v.Client.BuildTime}
 OS/Arch:           linux/386
 Context:           default
 Experimental:      true

Server: ${v.Server.Platform.Name}
 Engine:
  Version:          ${v.Server.Version}
  API version:      ${v.Server.ApiVersion} (minimum version ${v.Server.MinAPIVersion})
  Go version:       ${v.Server.GoVersion}
  Git commit:       ${v.Server.GitCommit}
  Built:            ${v.Server.BuildTime}
  OS/Arch:          linux/386
  Experimental:     false
 crun:
  Version:          1.8.1
 Kernel:
  Version:          ${kernel}
`);
  return 0;
}

export async function info(cli: Cli, flags: ParsedFlags): Promise<number> {
  const d = cli.daemon;
  const i = d.info();
  const probe = await d.sandbox.exec(["sh", "-c", "uname -r; grep -c ^processor /proc/cpuinfo; awk '/MemTotal/{print $2}' /proc/meminfo; hostname"]);
  const [kernel = "", cpus = "1", memKb = "0", host = "berth"] = probe.stdout.trim().split("\n");
  const data = {
    ID: "BERT:HBER:THBE:RTHB:ERTH:BERT:HBER:THBE:RTHB:ERTH:BERT:HBER",
    Containers: i.containers,
    ContainersRunning: i.running,
    ContainersPaused: i.paused,
    ContainersStopped: i.stopped,
    Images: i.images,
    Driver: "overlay2",
    KernelVersion: kernel,
    OperatingSystem: "Berth guest (Debian bookworm i386 packages)",
    OSType: "linux",
    Architecture: "i686",
    NCPU: Number(cpus),
    MemTotal: Number(memKb) * 1024,
    Name: host,
    ServerVersion: "20.10.24",
    CgroupDriver: "cgroupfs",
    CgroupVersion: "2",
    DefaultRuntime: "crun",
    DockerRootDir: "/var/lib/berth",
  };
  const format = flags.string("format");
  if (format) {
    try {
      cli.out(renderTemplate(format, data) + "\n");
    } catch (e) {
      throw new CliError(`template: ${(e as Error).message}`, 1);
    }
    return 0;
  }
  cli.out(`Client:
 Context:    default
 Debug Mode: false

Server:
 Containers: ${data.Containers}
  Running: ${data.ContainersRunning}
  Paused: ${data.ContainersPaused}
  Stopped: ${data.ContainersStopped}
 Images: ${data.Images}
 Server Version: ${data.ServerVersion}
 Storage Driver: overlay2
  Backing Filesystem: tmpfs
  Supports d_type: true
  Native Overlay Diff: true
  userxattr: false
 Logging Driver: json-file
 Cgroup Driver: cgroupfs
 Cgroup Version: 2
 Plugins:
  Volume: local
  Network: bridge null
  Log: json-file
 Swarm: inactive
 Runtimes: crun
 Default Runtime: crun
 Init Binary: docker-init
 Security Options:
  cgroupns
 Kernel Version: ${data.KernelVersion}
 Operating System: ${data.OperatingSystem}
 OSType: linux
 Architecture: i686
 CPUs: ${data.NCPU}
 Total Memory: ${bytesSize(data.MemTotal)}
 Name: ${data.Name}
 ID: ${data.ID}
 Docker Root Dir: ${data.DockerRootDir}
 Debug Mode: false
 Registry: (offline: the images Berth built from Debian packages)
 Labels:
 Experimental: false
 Insecure Registries:
  127.0.0.0/8
 Live Restore Enabled: false

`);
  return 0;
}
