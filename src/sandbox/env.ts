// The environment a guest process gets unless the caller says otherwise. Kept apart from
// vm.ts so the page can use it without pulling in v86.
export const DEFAULT_ENV = [
  "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
  "HOME=/root",
  "TERM=xterm-256color",
  "LANG=C.UTF-8",
];
