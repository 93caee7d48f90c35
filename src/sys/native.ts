// The only importer of the native module. Everything above receives this typed interface, so
// logic can be tested with a fake; the real one is loaded lazily, once.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PlanOp } from './plan.js';

export interface WaitResult {
  pid: number;
  exitCode: number | null;
  signal: number | null;
}

export interface NativeSys {
  /**
   * Clones a child that runs `ops` (see plan.ts); returns its pid. The child first execs
   * vessel-nsexec (build/Release/, or VESSEL_NSEXEC) from a sealed memfd made once per process, so
   * no step runs with the host's node binary as /proc/PID/exe. A failure there is reported on the
   * sync socket as an error at op index -1. With `traceFd`, every step is recorded into that buffer.
   */
  spawnPlan(syncFd: number, ops: PlanOp[], traceFd?: number): number;
  /**
   * A close-on-exec memfd holding an empty --trace buffer for `records` records
   * (native/src/trace.h); given to spawnPlan, the plan's processes record each step into it.
   */
  traceBufferCreate(records: number): number;
  waitPidSync(pid: number, noHang?: boolean): WaitResult | null;
  waitPid(pid: number): Promise<WaitResult>;
  /** A connected, close-on-exec AF_UNIX stream pair. */
  socketPair(): [number, number];
  mkfifo(path: string, mode: number): void;
  mount(source: string | null, target: string, fstype: string | null, flags: number, data: string | null): void;
  umount2(target: string, flags?: number): void;
  mknod(path: string, mode: number, major: number, minor: number): void;
  lsetxattr(path: string, name: string, value: Buffer): void;
  lgetxattr(path: string, name: string): Buffer | null;
  llistxattr(path: string): string[];
  unixConnect(path: string): number;
  /** shutdown(2); how: 0 read, 1 write, 2 both. A socket that is not connected is not an error. */
  shutdown(fd: number, how: number): void;
  sendFd(socket: number, fd: number, data: string): void;
  recvFd(socket: number): { fd: number; data: string };
  /** "No such file or directory (ENOENT)" */
  strerror(errno: number): string;
  setChildSubreaper(): void;
  getWinsize(fd: number): { rows: number; cols: number };
  setWinsize(fd: number, rows: number, cols: number): void;
  /** rm -rf without following symlinks or crossing mounts; an absent path is not an error. */
  removeTree(path: string): void;
  /** flock(2) with LOCK_NB always added: false when another open file holds a conflicting lock. */
  flock(fd: number, operation: FlockOperation): boolean;
}

/** flock(2) operations. */
export const Flock = { SHARED: 1, EXCLUSIVE: 2, UNLOCK: 8 } as const;
export type FlockOperation = (typeof Flock)[keyof typeof Flock];

let loaded: NativeSys | undefined;

function findAddon(): string {
  if (process.env.VESSEL_NATIVE) return process.env.VESSEL_NATIVE;
  // dist/*.mjs and src/sys/*.ts sit at different depths below the package root
  // In the bundled CLI, import.meta.url is the bundle in dist/ (the launcher defines it).
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, 'build', 'Release', 'vessel.node');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error('native module build/Release/vessel.node not found: run `npm ci` (it builds with node-gyp)');
}

export function sys(): NativeSys {
  if (!loaded) {
    // process.dlopen rather than require: no module resolution or package.json lookup on every start
    const addon = { exports: {} as NativeSys };
    process.dlopen(addon, findAddon());
    loaded = addon.exports;
  }
  return loaded;
}

/** Linux mount(2) flags. */
export const MountFlag = {
  RDONLY: 0x1,
  NOSUID: 0x2,
  NODEV: 0x4,
  NOEXEC: 0x8,
  SYNCHRONOUS: 0x10,
  REMOUNT: 0x20,
  MANDLOCK: 0x40,
  DIRSYNC: 0x80,
  NOSYMFOLLOW: 0x100,
  NOATIME: 0x400,
  NODIRATIME: 0x800,
  BIND: 0x1000,
  MOVE: 0x2000,
  REC: 0x4000,
  SILENT: 0x8000,
  UNBINDABLE: 0x20000,
  PRIVATE: 0x40000,
  SLAVE: 0x80000,
  SHARED: 0x100000,
  RELATIME: 0x200000,
  STRICTATIME: 0x1000000,
  LAZYTIME: 0x2000000,
} as const;

export const MNT_DETACH = 2;

/** clone(2)/unshare(2)/setns(2) namespace flags. */
export const CloneFlag = {
  NEWNS: 0x00020000,
  NEWCGROUP: 0x02000000,
  NEWUTS: 0x04000000,
  NEWIPC: 0x08000000,
  NEWUSER: 0x10000000,
  NEWPID: 0x20000000,
  NEWNET: 0x40000000,
  NEWTIME: 0x00000080,
} as const;
