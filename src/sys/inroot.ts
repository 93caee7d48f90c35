// openat2(2) with RESOLVE_IN_ROOT (native/src/inroot.c): paths resolved inside a container's
// root, symlinks included, the way the container itself would see them.
import { sys } from './native.js';

export interface InRootSys {
  /**
   * Opens `path` relative to the directory `rootFd` as if that directory were `/`: `..` and
   * absolute symlinks stop at it, magic links are refused. Returns a close-on-exec fd.
   */
  openInRoot(rootFd: number, path: string, flags: number, mode?: number): number;
}

/** Flags Node's fs.constants lacks. */
export const OpenFlag = { PATH: 0o10000000 } as const;

export function inRootSys(): InRootSys {
  return sys() as unknown as InRootSys;
}
