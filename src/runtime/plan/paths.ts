// Paths inside the container root, as the component lists the plan's *_AT ops take.
import { posix } from 'node:path';
import { Op, type PlanOp } from '../../sys/plan.js';

/** "/a/b/../c" -> ["a", "c"]; ".." cannot climb above the root. */
export function components(containerPath: string): string[] {
  const out: string[] = [];
  for (const part of posix.normalize(`/${containerPath}`).split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out;
}

export type LeafKind = 'dir' | 'file';

/**
 * Creates every missing component of `path` inside the root (the kernel resolves each parent with
 * RESOLVE_IN_ROOT, so a symlink in the image cannot lead outside it).
 */
export function ensurePath(rootFd: number, parts: string[], leaf: LeafKind): PlanOp[] {
  const ops: PlanOp[] = [];
  for (let i = 0; i < parts.length; i++) {
    const parent = parts.slice(0, i).join('/');
    const last = i === parts.length - 1;
    if (last && leaf === 'file') ops.push([Op.MKFILE_AT, rootFd, parent, parts[i]!, 0o644]);
    else ops.push([Op.MKDIR_AT, rootFd, parent, parts[i]!, 0o755]);
  }
  return ops;
}
