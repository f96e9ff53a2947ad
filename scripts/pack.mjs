#!/usr/bin/env node
// `npm run pack -- <content folder> <out folder> [--title "Week 1"]`: validates an
// instructor's content folder exactly as the build validates content/, then writes a
// static pack: <out>/pack.json (every text file) and the images beside it. Serve <out>
// from any static host that allows CORS and open Berth with ?pack=<URL of pack.json>.
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { lessonModules, loadContentDir } from "./content-plugin.mjs";

const { packFromSource, MAX_PACK_BYTES } = await lessonModules();

const args = process.argv.slice(2);
const titleAt = args.indexOf("--title");
const title = titleAt >= 0 ? args.splice(titleAt, 2)[1] : undefined;
const [input, output] = args;
if (!input || !output || args.length !== 2 || (titleAt >= 0 && !title)) {
  console.error('usage: npm run pack -- <content folder> <out folder> [--title "Pack title"]');
  process.exit(2);
}

const dir = resolve(input);
let loaded;
try {
  loaded = await loadContentDir(dir, input.replace(/\/+$/, ""), "./");
} catch (e) {
  if (e?.name !== "ContentError") throw e;
  console.error(`pack: ${e.problems.length} problem${e.problems.length === 1 ? "" : "s"}:\n${e.message}`);
  process.exit(1);
}
const { course, source } = loaded;
const pack = packFromSource(title ?? basename(dir), source);
const json = JSON.stringify(pack);
if (json.length > MAX_PACK_BYTES) {
  console.error(`pack: pack.json would be ${json.length} bytes; Berth loads at most ${MAX_PACK_BYTES}`);
  process.exit(1);
}
const out = resolve(output);
mkdirSync(out, { recursive: true });
writeFileSync(join(out, "pack.json"), json);
for (const a of source.assets) {
  mkdirSync(dirname(join(out, a)), { recursive: true });
  copyFileSync(join(dir, a), join(out, a));
}
const lessons = course.parts.reduce((n, p) => n + p.lessons.length, 0);
console.log(
  `pack: "${pack.title}": ${course.parts.length} parts, ${lessons} lessons, ${course.drills.length} drills, ${course.questions.length} questions, ${source.assets.length} images → ${join(out, "pack.json")} (${json.length} bytes)`,
);
