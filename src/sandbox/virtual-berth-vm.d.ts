// Served by the berthVm() plugin in vite.config.ts.
declare module "virtual:berth-vm" {
  export const manifest: import("./vm-manifest").VmManifest;
}
