// Runs a plan: spawns the child, answers its sync points, and turns a failure report into an
// error that names the step, its arguments and the errno.
import { closeSync, readSync, writeSync } from 'node:fs';
import { sys } from '../../sys/native.js';
import { CHILD_MESSAGE_SIZE, MsgType, Op, decodeChildMessage, opName, type PlanOp } from '../../sys/plan.js';
import { activeTracer } from '../../trace/active.js';
import { planTraceBuffer, tracePlan, type PlanTraceOptions } from '../../trace/plan-trace.js';
import { RuntimeError } from '../errors.js';

export interface PlanCallbacks {
  /** The process `pid` reached sync point `code`; throwing aborts the plan. */
  onSync?(code: number, pid: number): void;
  /** A FORK step reported the pid of the process that carries on. */
  onPid?(pid: number): void;
}

export interface PlanRun {
  /** The process clone() created (it may have exited after a FORK). */
  firstPid: number;
  /** The last pid a FORK reported: the process that runs the rest of the plan. */
  lastPid?: number;
}

export interface RunPlanOptions {
  /** Stop listening after answering this sync code (the child carries on alone). */
  detachAfterSync?: number;
  /** Reap the first process once it reports (it exits after its FORK). Default true. */
  reapFirst?: boolean;
  /** How --trace describes the plan's steps, when tracing is on. */
  trace?: PlanTraceOptions;
}

/** Builds the plan around the sync fd the child will hold, runs it, and follows it. */
export function runPlan(build: (syncFd: number) => PlanOp[], callbacks: PlanCallbacks, options: RunPlanOptions = {}): PlanRun {
  const native = sys();
  const [parentFd, childFd] = native.socketPair();
  const tracer = activeTracer();
  let ops: PlanOp[];
  let firstPid: number;
  let traceFd: number | undefined;
  try {
    ops = build(childFd);
    traceFd = planTraceBuffer(tracer, ops, (n) => native.traceBufferCreate(n));
    const plan = ops;
    firstPid = tracer.span('process', 'clone', (pid) => `CLONE_VM|CLONE_VFORK -> pid ${pid}, which execs vessel-nsexec to run ${plan.length} steps`, () => native.spawnPlan(childFd, plan, traceFd));
  } catch (e) {
    closeSync(parentFd);
    closeSync(childFd);
    if (traceFd !== undefined) closeSync(traceFd);
    throw e;
  }
  closeSync(childFd);
  if (traceFd !== undefined) tracePlan(tracer, traceFd, ops, options.trace);
  const run: PlanRun = { firstPid };
  let firstReaped = false;
  const reapFirst = () => {
    if (firstReaped || options.reapFirst === false) return;
    firstReaped = true;
    try {
      native.waitPidSync(firstPid);
    } catch {
      // already reaped (killed after a failure): nothing is left to collect
    }
  };
  try {
    const buf = Buffer.alloc(CHILD_MESSAGE_SIZE);
    for (;;) {
      if (!readMessage(parentFd, buf)) break;
      const msg = decodeChildMessage(buf);
      if (msg.type === MsgType.PID) {
        run.lastPid = msg.value;
        callbacks.onPid?.(msg.value);
        reapFirstAfterFork(msg.opIndex, ops, firstPid, reapFirst);
      } else if (msg.type === MsgType.SYNC) {
        try {
          // The process at a sync point is the one the last FORK said carries on.
          callbacks.onSync?.(msg.value, run.lastPid ?? firstPid);
        } catch (e) {
          reply(parentFd, 1);
          throw e;
        }
        reply(parentFd, 0);
        if (msg.value === options.detachAfterSync) break;
      } else if (msg.type === MsgType.ERROR) {
        throw stepError(ops[msg.opIndex], msg.opIndex, msg.value, msg.detail);
      }
    }
  } catch (e) {
    killQuietly(run.lastPid);
    if (options.reapFirst !== false) {
      killQuietly(firstPid);
      firstReaped = true;
    }
    throw e;
  } finally {
    closeSync(parentFd);
    reapFirst();
  }
  return run;
}

function reapFirstAfterFork(opIndex: number, ops: PlanOp[], firstPid: number, reap: () => void): void {
  // Only when the FORK made the first process exit (parent's next op -1) is it safe to block on it.
  const op = ops[opIndex];
  if (op && op[0] === Op.FORK && op[2] === -1 && firstPid) reap();
}

function readMessage(fd: number, buf: Buffer): boolean {
  let got = 0;
  while (got < buf.length) {
    let n: number;
    try {
      n = readSync(fd, buf, got, buf.length - got, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN' || (e as NodeJS.ErrnoException).code === 'EINTR') continue;
      throw e;
    }
    if (n === 0) {
      if (got === 0) return false;
      throw new RuntimeError('SETUP_FAILED', 'container setup: truncated message from the child process');
    }
    got += n;
  }
  return true;
}

function reply(fd: number, value: number): void {
  const b = Buffer.alloc(4);
  b.writeInt32LE(value, 0);
  try {
    writeSync(fd, b);
  } catch {
    // the child is gone; its exit is reported separately
  }
}

function killQuietly(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  try {
    sys().waitPidSync(pid);
  } catch {
    // not our child (reparented): init reaps it
  }
}

/** "mount_at proc -> proc: Operation not permitted (EPERM)" */
export function stepError(op: PlanOp | undefined, index: number, errno: number, detail: number): RuntimeError {
  // Index -1: before the first step, while the child became vessel-nsexec and read its plan.
  const what = op ? describeOp(op) : index < 0 ? 'starting vessel-nsexec' : `step ${index}`;
  const reason = op?.[0] === Op.HOOK && errno === 10 /* ECHILD: our marker for a failed hook */
    ? `hook exited with status ${detail >> 8 || `signal ${detail & 0x7f}`}`
    : sys().strerror(errno);
  return new RuntimeError(op?.[0] === Op.HOOK ? 'HOOK_FAILED' : 'SETUP_FAILED', `container setup failed: ${what}: ${reason}`);
}

function describeOp(op: PlanOp): string {
  const [code, ...args] = op;
  const name = opName(code);
  const shown = args
    .map((a) => (Buffer.isBuffer(a) ? `<${a.length} bytes>` : Array.isArray(a) ? `[${a.slice(0, 3).join(' ')}${a.length > 3 ? ' …' : ''}]` : String(a)))
    .filter((s) => s !== '');
  return `${name}(${shown.join(', ')})`;
}
