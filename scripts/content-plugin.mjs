// Vite plugin: validates content/ and serves it as `virtual:berth-course`. A bad lesson
// fails the build (and shows the error overlay in dev) with the file and field named.
// Lesson images are served from content/ in dev and copied to dist/content/ on build.
// The loader is TypeScript; it is loaded through tsx at run time so the Vite config's own
// import graph stays plain JavaScript.
import { copyFileSync, createReadStream, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { tsImport } from "tsx/esm/api";

const VIRTUAL_ID = "virtual:berth-course";
const RESOLVED_ID = "\0" + VIRTUAL_ID;

const IMAGE_TYPES = { svg: "image/svg+xml", png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", gif: "image/gif", webp: "image/webp" };

let modules;
/** The lesson modules, loaded once. */
export function lessonModules() {
  modules ??= Promise.all([
    tsImport("../src/lessons/content-fs.ts", import.meta.url),
    tsImport("../src/lessons/loader.ts", import.meta.url),
    tsImport("../src/lessons/pack.ts", import.meta.url),
  ]).then(([fs, loader, pack]) => ({ readContentDir: fs.readContentDir, loadCourse: loader.loadCourse, packFromSource: pack.packFromSource, MAX_PACK_BYTES: pack.MAX_PACK_BYTES }));
  return modules;
}

/** Reads and validates a content folder; a ContentError (name "ContentError") lists every problem. */
export async function loadContentDir(dir, label, assetRoot) {
  const { readContentDir, loadCourse } = await lessonModules();
  const source = readContentDir(dir);
  return { course: loadCourse(source, { label, assetRoot }), source };
}

export function berthContent() {
  let config;
  let dir;
  let label;
  let assets = [];
  return {
    name: "berth-content",
    configResolved(c) {
      config = c;
      // BERTH_CONTENT: work on another course folder with the playground around it.
      label = process.env.BERTH_CONTENT ?? "content";
      dir = resolve(c.root, label);
    },
    resolveId(id) {
      return id === VIRTUAL_ID ? RESOLVED_ID : undefined;
    },
    async load(id) {
      if (id !== RESOLVED_ID) return undefined;
      try {
        const { course, source } = await loadContentDir(dir, label, `${config.base}content/`);
        assets = source.assets;
        return `export const course = ${JSON.stringify(course)};\n`;
      } catch (e) {
        if (e instanceof Error && e.name === "ContentError") this.error(`invalid lesson content:\n${e.message}`);
        throw e;
      }
    },
    configureServer(server) {
      server.watcher.add(dir);
      const changed = (path) => {
        if (!path.startsWith(dir)) return;
        const graph = server.environments.client.moduleGraph;
        const mod = graph.getModuleById(RESOLVED_ID);
        if (!mod) return;
        graph.invalidateModule(mod);
        server.ws.send({ type: "full-reload" });
      };
      for (const event of ["change", "add", "unlink"]) server.watcher.on(event, changed);
      server.middlewares.use("/content", (req, res, next) => {
        const name = decodeURIComponent((req.url ?? "").split("?")[0].replace(/^\//, ""));
        if (!assets.includes(name)) return next();
        res.setHeader("Content-Type", IMAGE_TYPES[name.slice(name.lastIndexOf(".") + 1).toLowerCase()] ?? "application/octet-stream");
        // Opened on its own, an SVG must not run script either.
        res.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
        createReadStream(join(dir, name)).pipe(res);
      });
    },
    writeBundle(options) {
      const out = join(resolve(config.root, options.dir ?? config.build.outDir), "content");
      for (const a of assets) {
        const to = join(out, a);
        mkdirSync(dirname(to), { recursive: true });
        copyFileSync(join(dir, a), to);
      }
    },
  };
}
