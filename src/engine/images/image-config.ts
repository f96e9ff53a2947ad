// Image config blobs as dockerd 20.10 writes them for `commit` and `import`
// (image.NewChildImage, ImageService.ImportImage), with Go's JSON field order, and the
// layer chain IDs that `docker save` needs.
import type { ContainerConfig, ImageConfigBlob } from "../api-types";
import { goJSON } from "../format/go-json";
import { digestOf } from "../util/digest";

/** The diff ID of a tar with no entries (1024 zero bytes): dockerd's layer.EmptyLayer. */
export const EMPTY_LAYER_DIFF_ID = "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef";

type History = NonNullable<ImageConfigBlob["history"]>[number];

/** container.Config in Go's field order, with its omitempty fields left out when empty. */
export function goContainerConfig(c: Partial<ContainerConfig> | undefined): Record<string, unknown> {
  const x = c ?? {};
  const has = (v: unknown) => v !== undefined && v !== null && v !== "" && v !== 0 && v !== false && !(typeof v === "object" && Object.keys(v).length === 0);
  const out: Record<string, unknown> = {
    Hostname: x.Hostname ?? "",
    Domainname: x.Domainname ?? "",
    User: x.User ?? "",
    AttachStdin: x.AttachStdin ?? false,
    AttachStdout: x.AttachStdout ?? false,
    AttachStderr: x.AttachStderr ?? false,
  };
  if (has(x.ExposedPorts)) out.ExposedPorts = x.ExposedPorts;
  Object.assign(out, { Tty: x.Tty ?? false, OpenStdin: x.OpenStdin ?? false, StdinOnce: x.StdinOnce ?? false, Env: x.Env ?? null, Cmd: x.Cmd ?? null });
  if (has(x.Healthcheck)) out.Healthcheck = x.Healthcheck;
  Object.assign(out, { Image: x.Image ?? "", Volumes: x.Volumes ?? null, WorkingDir: x.WorkingDir ?? "", Entrypoint: x.Entrypoint ?? null, OnBuild: x.OnBuild ?? null, Labels: x.Labels ?? null });
  if (has(x.StopSignal)) out.StopSignal = x.StopSignal;
  if (has(x.StopTimeout)) out.StopTimeout = x.StopTimeout;
  return out;
}

function historyJson(h: History): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (h.created !== undefined) out.created = h.created;
  if (h.author) out.author = h.author;
  if (h.created_by) out.created_by = h.created_by;
  if (h.comment) out.comment = h.comment;
  if (h.empty_layer) out.empty_layer = true;
  return out;
}

/** The config blob's bytes: top-level keys sorted, as image.Image.MarshalJSON leaves them. */
export function configBytes(cfg: ImageConfigBlob): Uint8Array {
  const raw: Record<string, unknown> = { ...cfg };
  if (cfg.config) raw.config = goContainerConfig(cfg.config);
  if (cfg.container_config) raw.container_config = goContainerConfig(cfg.container_config);
  if (cfg.history) raw.history = cfg.history.map(historyJson);
  const sorted: Record<string, unknown> = {};
  for (const k of Object.keys(raw).sort()) if (raw[k] !== undefined && raw[k] !== "") sorted[k] = raw[k];
  return new TextEncoder().encode(goJSON(sorted, { escapeHTML: true }));
}

/** UTC time with nanoseconds trimmed as Go prints time.Time in JSON. */
export function goTimeNow(): string {
  return new Date().toISOString().replace(/\.?0+Z$/, "Z");
}

/** image.NewChildImage: the parent's rootfs and history, plus this layer (unless empty). */
export function childImageConfig(opts: {
  parent: ImageConfigBlob | undefined;
  diffId: string;
  author: string;
  comment: string;
  containerId: string;
  containerConfig: Partial<ContainerConfig>;
  config: Partial<ContainerConfig>;
  dockerVersion: string;
}): ImageConfigBlob {
  const empty = opts.diffId === EMPTY_LAYER_DIFF_ID;
  const created = goTimeNow();
  const history: History = { created, ...(opts.author ? { author: opts.author } : {}), created_by: (opts.containerConfig.Cmd ?? []).join(" "), ...(opts.comment ? { comment: opts.comment } : {}), ...(empty ? { empty_layer: true } : {}) };
  const p = opts.parent;
  return {
    architecture: p?.architecture ?? "386",
    ...(opts.author ? { author: opts.author } : {}),
    config: opts.config,
    container: opts.containerId,
    container_config: opts.containerConfig,
    created,
    docker_version: opts.dockerVersion,
    history: [...(p?.history ?? []), history],
    os: p?.os ?? "linux",
    rootfs: { type: "layers", diff_ids: [...(p?.rootfs.diff_ids ?? []), ...(empty ? [] : [opts.diffId])] },
  };
}

/** ImportImage: one layer, the changes' config, and the message as comment. */
export function importedImageConfig(diffId: string, config: Partial<ContainerConfig>, comment: string, dockerVersion: string): ImageConfigBlob {
  const created = goTimeNow();
  return {
    architecture: "386",
    comment,
    config,
    container_config: {},
    created,
    docker_version: dockerVersion,
    history: [{ created, comment }],
    os: "linux",
    rootfs: { type: "layers", diff_ids: [diffId] },
  };
}

/** layer.CreateChainID for each prefix of the diff IDs. */
export async function chainIds(diffIds: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const d of diffIds) {
    const prev = out.at(-1);
    out.push(prev === undefined ? d : await digestOf(new TextEncoder().encode(`${prev} ${d}`)));
  }
  return out;
}
