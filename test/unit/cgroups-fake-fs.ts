// An in-memory CgroupFs for unit tests: files hold their last write, and every write is logged.
import type { CgroupFs } from '../../src/cgroups/files.js';

export class FakeCgroupFs implements CgroupFs {
  readonly files = new Map<string, string>();
  readonly dirs = new Set<string>();
  readonly writes: [string, string][] = [];
  /** file -> error code a write to it fails with */
  readonly failWrites = new Map<string, string>();

  constructor(files: Record<string, string> = {}) {
    for (const [path, value] of Object.entries(files)) this.files.set(path, value);
  }

  read(path: string): string {
    const v = this.files.get(path);
    if (v === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return v;
  }

  write(path: string, data: string): void {
    if (!this.files.has(path)) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    const fail = this.failWrites.get(path);
    if (fail) throw Object.assign(new Error(`${fail}: ${path}`), { code: fail });
    this.writes.push([path, data]);
    this.files.set(path, data);
  }

  exists(path: string): boolean {
    return this.files.has(path) || this.dirs.has(path);
  }

  mkdir(path: string): void {
    if (this.dirs.has(path)) throw Object.assign(new Error(`EEXIST: ${path}`), { code: 'EEXIST' });
    this.dirs.add(path);
  }

  rmdir(path: string): void {
    if (!this.dirs.delete(path)) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
  }

  children(path: string): string[] {
    return [...this.dirs].filter((d) => d.startsWith(`${path}/`) && !d.slice(path.length + 1).includes('/')).map((d) => d.slice(path.length + 1));
  }

  /** The values written to files whose path ends with `suffix`, in order. */
  written(suffix: string): string[] {
    return this.writes.filter(([p]) => p.endsWith(suffix)).map(([, v]) => v);
  }
}
