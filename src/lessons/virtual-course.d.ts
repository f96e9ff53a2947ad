// Served by the berthContent() plugin (scripts/content-plugin.ts), validated at build time.
declare module "virtual:berth-course" {
  export const course: import("./schema").Course;
}
