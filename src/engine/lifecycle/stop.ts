// `stop`, `kill`, `wait`, `restart`, `pause`: signals to the container's init, and waiting until
// its end is recorded. stop and restart hold the container's lock while they wait, so they record
// the end themselves (see locks/container-lock.ts): the supervisor's cleanup then finds it done.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ContainerRecord } from '../config/types.js';
import type { Engine } from '../engine.js';
import { EngineError } from '../errors.js';
import { withContainer } from '../locks/container-lock.js';
import { backendOf } from '../runtime-backend/index.js';
import { appendEvent } from '../store/events.js';
import { cleanupContainer, cleanupLocked } from './cleanup.js';
import { startLocked } from './start.js';
import { liveState, supervisorAlive } from './status.js';

const DEFAULT_STOP_TIMEOUT = 10;
const POLL_MS = 20;
/** After the init has gone, how long its supervisor may take to write the exit file. */
const EXIT_FILE_WAIT_MS = 2000;

function isActive(engine: Engine, rec: ContainerRecord): boolean {
  const s = liveState(engine, rec).status;
  return s === 'running' || s === 'paused';
}

export function killContainer(engine: Engine, ref: string, signal = 'SIGKILL'): Promise<ContainerRecord> {
  return withContainer(engine, ref, (rec) => {
    const notRunning = (cause?: unknown) => new EngineError('BAD_STATE', `cannot kill container: ${ref}: container ${rec.id} is not running`, rec.id, { cause });
    if (!isActive(engine, rec)) throw notRunning();
    try {
      backendOf(engine, rec).kill(rec.id, signal, false);
    } catch (e) {
      // it ended on its own meanwhile: the lock keeps other vessel processes out, not that
      if (!isActive(engine, rec)) throw notRunning(e);
      throw e;
    }
    appendEvent(engine.images.db, 'container', 'kill', rec.id, { name: rec.name, signal });
    return rec;
  });
}

/** Until the process has ended and its end is recorded (by the supervisor's cleanup, or by us
 * when no supervisor is left to do it). Resolves with the exit code. Takes no lock while waiting. */
export async function waitForExit(engine: Engine, id: string, timeoutMs = Infinity, recordNow = false): Promise<number | undefined> {
  const deadline = Date.now() + timeoutMs;
  let deadSince: number | undefined;
  for (;;) {
    const rec = engine.containers.find(id);
    if (!rec) return undefined;
    const live = liveState(engine, rec);
    if (live.status !== 'running' && live.status !== 'paused' && live.status !== 'restarting') {
      if (!live.unrecordedExit) return rec.exitCode;
      deadSince ??= Date.now();
      // the supervisor's cleanup should record it within moments; without a supervisor, do it
      if (recordNow || (!supervisorAlive(rec.supervisorPid) && Date.now() - deadSince > 300)) {
        await cleanupContainer(engine, id);
        return engine.containers.find(id)?.exitCode ?? live.exitCode;
      }
    }
    if (Date.now() > deadline) return undefined;
    await sleep(POLL_MS);
  }
}

/** For a lock holder: until the init has ended and its supervisor has written the exit file (or
 * is gone). False on timeout. */
async function processEnded(engine: Engine, rec: ContainerRecord, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let deadSince: number | undefined;
  for (;;) {
    const live = liveState(engine, rec);
    if (live.status !== 'running' && live.status !== 'paused' && live.status !== 'restarting') {
      deadSince ??= Date.now();
      if (live.exit || !supervisorAlive(rec.supervisorPid) || Date.now() - deadSince > EXIT_FILE_WAIT_MS) return true;
    } else if (Date.now() > deadline) {
      return false;
    }
    await sleep(POLL_MS);
  }
}

export function stopContainer(engine: Engine, ref: string, timeoutSeconds?: number): Promise<ContainerRecord> {
  return withContainer(engine, ref, (rec) => stopLocked(engine, rec, timeoutSeconds));
}

async function stopLocked(engine: Engine, rec: ContainerRecord, timeoutSeconds?: number): Promise<ContainerRecord> {
  if (!isActive(engine, rec)) {
    // ended on its own: its end may not be recorded yet, and restart must not race that cleanup
    if (liveState(engine, rec).unrecordedExit) await cleanupLocked(engine, rec.id);
    return rec;
  }
  engine.containers.update(rec.id, { stoppedByUser: true });
  const timeout = timeoutSeconds ?? rec.config.StopTimeout ?? DEFAULT_STOP_TIMEOUT;
  const backend = backendOf(engine, rec);
  if (liveState(engine, rec).status === 'paused') backend.resume(rec.id);
  try {
    backend.kill(rec.id, rec.config.StopSignal ?? 'SIGTERM', false);
  } catch {
    // ended meanwhile
  }
  if (!(await processEnded(engine, rec, timeout * 1000))) {
    try {
      backend.kill(rec.id, 'SIGKILL', true);
    } catch {
      // ended meanwhile
    }
    await processEnded(engine, rec, Infinity);
  }
  await cleanupLocked(engine, rec.id);
  appendEvent(engine.images.db, 'container', 'stop', rec.id, { name: rec.name });
  return rec;
}

export function restartContainer(engine: Engine, ref: string, timeoutSeconds?: number): Promise<ContainerRecord> {
  return withContainer(engine, ref, async (rec) => {
    await stopLocked(engine, rec, timeoutSeconds);
    return startLocked(engine, engine.containers.get(rec.id));
  });
}

export function pauseContainer(engine: Engine, ref: string, paused: boolean): Promise<ContainerRecord> {
  return withContainer(engine, ref, (rec) => {
    const status = liveState(engine, rec).status;
    if (paused && status !== 'running') throw new EngineError('BAD_STATE', `Container ${rec.id} is not running`, rec.id);
    if (!paused && status !== 'paused') throw new EngineError('BAD_STATE', `Container ${rec.id} is not paused`, rec.id);
    const backend = backendOf(engine, rec);
    if (paused) backend.pause(rec.id);
    else backend.resume(rec.id);
    engine.containers.update(rec.id, { state: paused ? 'paused' : 'running' });
    appendEvent(engine.images.db, 'container', paused ? 'pause' : 'unpause', rec.id, { name: rec.name });
    return rec;
  });
}
