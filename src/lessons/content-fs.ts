// Node only: reads a content folder from disk into a ContentSource for the loader (the
// Vite plugin, `npm run pack` and the lesson test harness use it).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isAssetPath, type ContentSource } from "./loader";
import { ContentError } from "./schema";

const utf8 = new TextDecoder("utf-8", { fatal: true });

export function readContentDir(root: string): ContentSource {
  const files = new Map<string, string>();
  const assets: string[] = [];
  const problems: string[] = [];
  const walk = (rel: string): void => {
    for (const e of readdirSync(join(root, rel), { withFileTypes: true })) {
      if (e.name.startsWith(".")) continue;
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path);
      else if (!e.isFile()) continue;
      else if (isAssetPath(path)) assets.push(path);
      else {
        try {
          files.set(path, utf8.decode(readFileSync(join(root, path))));
        } catch {
          problems.push(`${path}: not a UTF-8 text file (lessons can carry text files and images only)`);
        }
      }
    }
  };
  walk("");
  if (problems.length) throw new ContentError(problems);
  return { files, assets: assets.sort() };
}
