// The resource limits `--ulimit` and HostConfig.Ulimits name (go-units' ulimitNameMapping);
// the runtime sets each as RLIMIT_ + the upper-cased name.
export const ULIMITS: ReadonlySet<string> = new Set([
  "core",
  "cpu",
  "data",
  "fsize",
  "locks",
  "memlock",
  "msgqueue",
  "nice",
  "nofile",
  "nproc",
  "rss",
  "rtprio",
  "rttime",
  "sigpending",
  "stack",
]);
