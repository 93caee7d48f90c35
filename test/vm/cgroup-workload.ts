// Test helper: a busybox shell that waits for "go" on stdin, so it can be put into a cgroup before
// it does its work, and a scratch cgroup parent that is removed afterwards.
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cgroupManager } from '../../src/cgroups/index.js';
import type { CgroupManager } from '../../src/cgroups/index.js';
import { pollUntil } from '../../src/cgroups/wait.js';
import { sleepSync } from '../../src/sys/sleep.js';
import { tempDir } from '../fixtures/busybox.js';

export interface Workload {
  pid: number;
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `script` under busybox sh in `cg`: the shell joins the cgroup before running it. */
export function startInCgroup(cg: CgroupManager, script: string): Workload {
  const child = spawn('/bin/busybox', ['sh', '-c', `read go; ${script}`], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  if (child.pid === undefined) throw new Error('spawn of /bin/busybox failed');
  cg.addProcess(child.pid);
  child.stdin.write('go\n');
  return { pid: child.pid, child, stdout: () => out, stderr: () => err, exited };
}

/** CPU time (user+system, in clock ticks) of one process, from /proc/PID/stat. */
export function processTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** SIGKILLs every task left in the cgroup (all started by this test) and waits until it is empty. */
export function emptyCgroup(cg: CgroupManager): void {
  if (!cg.exists()) return;
  if (cg.isFrozen()) cg.thaw();
  for (let round = 0; round < 50; round++) {
    const pids = cg.pids();
    if (pids.length === 0) return;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    sleepSync(20);
  }
}

/** A parent cgroup of its own for one test file, and a factory for children under it. */
export function scratchCgroups(): { make(name: string): CgroupManager; cleanup(): void } {
  const parent = `/vessel-test-${randomBytes(4).toString('hex')}`;
  const made: CgroupManager[] = [];
  return {
    make(name) {
      const cg = cgroupManager(`${parent}/${name}`, name);
      made.push(cg);
      cg.create();
      return cg;
    },
    cleanup() {
      const errors: unknown[] = [];
      for (const cg of made) {
        try {
          emptyCgroup(cg);
          cg.destroy();
        } catch (e) {
          errors.push(e);
        }
      }
      try {
        cgroupManager(parent, 'parent').destroy();
      } catch (e) {
        errors.push(e);
      }
      if (errors.length) throw new AggregateError(errors, 'cgroup test cleanup failed');
    },
  };
}

/** Polls without blocking the event loop, so output of child processes keeps arriving. */
export async function waitFor(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

/** A loop device over a fresh (sparse) 8 MiB file; the returned cleanup detaches it and removes the file. */
export function scratchLoopDevice(): { device: string; major: number; minor: number; cleanup(): void } {
  const { dir, cleanup: removeDir } = tempDir('vessel-cg-loop-');
  const image = join(dir, 'disk.img');
  writeFileSync(image, '');
  truncateSync(image, 8 * 1024 * 1024);
  const device = execFileSync('losetup', ['--find', '--show', image], { encoding: 'utf8' }).trim();
  const rdev = statSync(device).rdev;
  return {
    device,
    major: Math.floor(rdev / 256) & 0xfff,
    minor: (rdev & 0xff) | ((rdev >> 12) & 0xfff00),
    cleanup() {
      execFileSync('losetup', ['--detach', device]);
      removeDir();
    },
  };
}

export { pollUntil, sleepSync };
