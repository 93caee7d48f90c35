// Reading and writing cgroup control files. Everything above goes through CgroupFs, so controller
// logic can be unit-tested against an in-memory fake; the real one is plain node:fs.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CgroupError, errnoCode } from './errors.js';
import { sleepSync } from '../sys/sleep.js';

export interface CgroupFs {
  read(path: string): string;
  /** One write(2) per call: cgroup files take one value (or one rule) per write. */
  write(path: string, data: string): void;
  exists(path: string): boolean;
  mkdir(path: string): void;
  rmdir(path: string): void;
  /** Names of the subdirectories (child cgroups) of `path`; none when it does not exist. */
  children(path: string): string[];
}

export const realCgroupFs: CgroupFs = {
  read: (path) => readFileSync(path, 'utf8'),
  write: (path, data) => writeFileSync(path, data, { flag: 'w' }),
  exists: (path) => existsSync(path),
  mkdir: (path) => mkdirSync(path),
  rmdir: (path) => rmdirSync(path),
  children: (path) => {
    try {
      return readdirSync(path, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return [];
      throw err;
    }
  },
};

/** One cgroup directory in one hierarchy. */
export class CgroupDir {
  constructor(
    readonly path: string,
    readonly fs: CgroupFs,
  ) {}

  file(name: string): string {
    return join(this.path, name);
  }

  has(name: string): boolean {
    return this.fs.exists(this.file(name));
  }

  read(name: string): string {
    const file = this.file(name);
    try {
      return this.fs.read(file).trim();
    } catch (cause) {
      throw new CgroupError('CGROUP_READ', `cannot read ${file}: ${(cause as Error).message}`, file, undefined, { cause });
    }
  }

  /** A number, with "max" (and v1's huge "unlimited" values) as -1. */
  readNumber(name: string): number {
    return parseLimit(this.read(name));
  }

  /** "key value" lines (memory.stat, cpu.stat, memory.events…). */
  readKeyed(name: string): Map<string, number> {
    return parseKeyed(this.read(name));
  }

  write(name: string, value: string | number): void {
    const file = this.file(name);
    const data = String(value);
    try {
      this.fs.write(file, data);
    } catch (cause) {
      throw new CgroupError('CGROUP_WRITE', `cannot write ${JSON.stringify(data)} to ${file}: ${(cause as Error).message}`, file, data, { cause });
    }
  }
}

// v1 reports "no limit" as the largest page-aligned 64-bit value, which no real limit reaches
const UNLIMITED_FLOOR = 2 ** 62;

export function parseLimit(text: string): number {
  if (text === 'max' || text === '') return -1;
  const n = Number(text);
  return n >= UNLIMITED_FLOOR ? -1 : n;
}

export function parseKeyed(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined) out.set(key, Number(value));
  }
  return out;
}

/** rmdir of a cgroup and, first, of the child cgroups a container made inside it; tolerates a
 *  cgroup already gone and retries while the last tasks finish exiting. */
export function removeCgroupDir(fs: CgroupFs, path: string, timeoutMs = 2000): void {
  for (const child of fs.children(path)) removeCgroupDir(fs, join(path, child), timeoutMs);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      fs.rmdir(path);
      return;
    } catch (cause) {
      const code = errnoCode(cause);
      if (code === 'ENOENT') return;
      if (code !== 'EBUSY' || Date.now() >= deadline) {
        throw new CgroupError('CGROUP_RMDIR', `cannot remove cgroup ${path}: ${(cause as Error).message}`, path, undefined, { cause });
      }
      sleepSync(10);
    }
  }
}

/**
 * After a container's cgroup is gone: the directories create() made on the way to it below
 * vessel's parent (cgroupsPath "a/b" makes /vessel/a), deepest first, while they are empty. A
 * directory still in use by another container is not empty and stays.
 */
export function removeEmptyAncestors(fs: CgroupFs, hierarchyRoot: string, cgroupPath: string, parent: string): void {
  if (!cgroupPath.startsWith(`${parent}/`)) return;
  const inside = cgroupPath.slice(parent.length + 1).split('/');
  for (let n = inside.length - 1; n > 0; n--) {
    try {
      fs.rmdir(join(hierarchyRoot, parent, ...inside.slice(0, n)));
    } catch {
      return; // not empty (another container), or already gone
    }
  }
}

/** mkdir that accepts an existing directory. */
export function makeCgroupDir(fs: CgroupFs, path: string): void {
  try {
    fs.mkdir(path);
  } catch (cause) {
    if (errnoCode(cause) === 'EEXIST') return;
    throw new CgroupError('CGROUP_MKDIR', `cannot create cgroup ${path}: ${(cause as Error).message}`, path, undefined, { cause });
  }
}
