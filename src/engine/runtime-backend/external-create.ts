// `create` for an external runtime: vessel's supervisor is started with --runtime and runs
// `<runtime> create` itself (native/supervisor/runtime_create.c), then reports the container's pid
// (or why there is none) on a pipe; the supervisor stays the init's parent, as with vessel's runtime.
import { closeSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Spec } from '../../oci/spec.js';
import { sys } from '../../sys/native.js';
import { Op, type PlanOp } from '../../sys/plan.js';
import { pipe } from '../../sys/pipe.js';
import { supervisorArgv, supervisorEnv, supervisorPath } from '../supervisor/argv.js';
import { RuntimeBackendError } from './errors.js';
import { spawnProgram } from './spawn.js';
import { lastRuntimeError } from './runtime-log.js';
import type { BackendCreateRequest, BackendCreated } from './types.js';

export interface ExternalRuntime {
  name: string;
  /** the runtime's program, looked up when a verb first needs it */
  binary(): string;
  /** `--root` for the runtime: its state dirs, one per container */
  stateRoot: string;
  /** where each container's bundle (config.json) is */
  bundleOf(id: string): string;
  /** config.json's ociVersion is lowered to this before create (the runtime refuses newer ones) */
  specVersion?: string;
}

/** Same file as native/supervisor/runtime_create.c's RUNTIME_LOG, in the bundle. */
const RUNTIME_LOG = 'runtime.log';

/** "<pid>\n" or "!<why>\n" from the supervisor, or "" if it ended without a word. */
function readReport(fd: number): string {
  const buf = Buffer.alloc(512);
  let text = '';
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, buf, 0, buf.length, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN' || (e as NodeJS.ErrnoException).code === 'EINTR') continue;
      throw e;
    }
    if (n === 0) return text;
    text += buf.toString('utf8', 0, n);
    if (text.includes('\n')) return text.slice(0, text.indexOf('\n'));
  }
}

function lowerSpecVersion(bundle: string, version: string): void {
  const path = join(bundle, 'config.json');
  const spec = JSON.parse(readFileSync(path, 'utf8')) as Spec;
  if (spec.ociVersion === version) return;
  writeFileSync(path, JSON.stringify({ ...spec, ociVersion: version }));
}

export function createUnderSupervisor(rt: ExternalRuntime, req: BackendCreateRequest, remove: (id: string, force: boolean) => void): BackendCreated {
  const { onExit, fds, ...rest } = req.supervisor;
  // with a terminal the supervisor listens for the runtime's console socket instead
  const { console: _viaSocketPair, ...supervisorFds } = fds;
  if (rt.specVersion) lowerSpecVersion(req.bundle, rt.specVersion);
  const [reportRead, reportWrite] = pipe();
  try {
    const container: [string, number | undefined][] = [
      ['--container-stdin-fd', req.stdio.stdin],
      ['--container-stdout-fd', req.stdio.stdout],
      ['--container-stderr-fd', req.stdio.stderr],
    ];
    const argv = [
      ...supervisorArgv({ ...rest, fds: supervisorFds }),
      '--runtime', rt.binary(), '--runtime-root', rt.stateRoot, '--bundle', req.bundle, '--report-fd', String(reportWrite),
      ...container.flatMap(([flag, fd]) => (fd === undefined ? [] : [flag, String(fd)])),
      ...(req.consoleFd !== undefined ? ['--runtime-console'] : []),
      ...(onExit?.length ? ['--', ...onExit] : []),
    ];
    const inherited = [...Object.values(supervisorFds), ...container.map(([, fd]) => fd), reportWrite].filter((fd): fd is number => fd !== undefined);
    const { stdin, stdout, stderr } = req.supervisorStdio;
    const supervisorPid = spawnProgram(supervisorPath(), argv, supervisorEnv(), [
      [Op.SETSID], [Op.DUP2, stdin, 0], [Op.DUP2, stdout, 1], [Op.DUP2, stderr, 2], ...inherited.map((fd): PlanOp => [Op.INHERIT_FDS, fd, fd]),
    ]);
    closeSync(reportWrite);
    const report = readReport(reportRead);
    const pid = /^\d+$/.test(report) ? Number(report) : 0;
    if (pid > 0) return { pid, supervisorPid };
    try {
      sys().waitPidSync(supervisorPid);
    } catch {
      // reaped already
    }
    try {
      remove(req.id, true); // what a runtime leaves of a create that failed half-way
    } catch {
      // reported below with the runtime's own reason
    }
    const why = lastRuntimeError(join(req.bundle, RUNTIME_LOG)) ?? (report.startsWith('!') ? report.slice(1) : 'the supervisor ended before the container was created');
    throw new RuntimeBackendError('RUNTIME_FAILED', `${rt.name} create ${req.id}: ${why}`, req.id);
  } finally {
    closeQuietly(reportRead);
    closeQuietly(reportWrite);
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}
