// The truth about a container, recomputed every time: the db says what was last recorded; the
// runtime's state, the supervisor's exit file and /proc say what is so now (a supervisor or
// container killed from outside shows as exited).
import { readFileSync } from 'node:fs';
import { readExitFile, type ContainerExit } from '../supervisor/exit-file.js';
import type { ContainerRecord, ContainerState } from '../config/types.js';
import type { Engine } from '../engine.js';
import { containerPaths } from '../paths.js';
import { backendOf } from '../runtime-backend/index.js';

export interface LiveState {
  status: ContainerState;
  pid: number;
  exitCode: number;
  finishedAt: string | null;
  /** The container process has ended but nobody recorded it yet (cleanup pending or never coming). */
  unrecordedExit: boolean;
  exit: ContainerExit | null;
}

const ACTIVE: ContainerState[] = ['running', 'paused', 'restarting'];

export function supervisorAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('vessel-supervisor') && !/^\S+ \(\S+\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function safeExit(path: string): ContainerExit | null {
  try {
    return readExitFile(path);
  } catch {
    return null;
  }
}

export function liveState(engine: Engine, rec: ContainerRecord): LiveState {
  const recorded: LiveState = { status: rec.state, pid: rec.pid, exitCode: rec.exitCode, finishedAt: rec.finishedAt, unrecordedExit: false, exit: null };
  if (!ACTIVE.includes(rec.state)) return recorded;
  const status = backendOf(engine, rec).status(rec.id, rec.pid);
  if (status === 'running' || status === 'created' || status === 'creating') return { ...recorded, status: rec.state === 'restarting' ? 'restarting' : 'running' };
  if (status === 'paused') return { ...recorded, status: 'paused' };
  const exit = safeExit(containerPaths(engine.root, rec.id).exitFile);
  return {
    status: 'exited',
    pid: 0,
    // no exit file: the supervisor was killed before it could record one
    exitCode: exit?.exitCode ?? 255,
    finishedAt: exit?.finishedAt ?? rec.finishedAt,
    unrecordedExit: true,
    exit,
  };
}
