import type { Plugin } from "vite";
import type { ContentSource } from "../src/lessons/loader";
import type { Course } from "../src/lessons/schema";
import type { PackFile } from "../src/lessons/pack";

export function berthContent(): Plugin;
export function loadContentDir(dir: string, label: string, assetRoot: string): Promise<{ course: Course; source: ContentSource }>;
export function lessonModules(): Promise<{
  readContentDir(dir: string): ContentSource;
  loadCourse(src: ContentSource, opts: { label: string; assetRoot: string }): Course;
  packFromSource(title: string, src: ContentSource): PackFile;
  MAX_PACK_BYTES: number;
}>;
