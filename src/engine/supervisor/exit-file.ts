// The record the supervisor writes (atomically) when the container has ended.
import { readFileSync } from 'node:fs';
import { SupervisorError } from './errors.js';

export interface ContainerExit {
  /** The exit status, or 128 + signal when the container was killed. */
  exitCode: number;
  signal: number | null;
  /** RFC 3339 with nanoseconds, UTC. */
  finishedAt: string;
}

function isExit(v: unknown): v is ContainerExit {
  const o = v as Record<string, unknown> | null;
  return (
    typeof o === 'object' && o !== null &&
    Number.isInteger(o.exitCode) &&
    (o.signal === null || Number.isInteger(o.signal)) &&
    typeof o.finishedAt === 'string' && !Number.isNaN(Date.parse(o.finishedAt))
  );
}

/** The container's exit, or null while it has not ended (no file yet). */
export function readExitFile(path: string): ContainerExit | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new SupervisorError('EXIT_FILE_UNREADABLE', path, 'cannot read the exit file', { cause: err });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new SupervisorError('EXIT_FILE_INVALID', path, 'the exit file is not JSON', { cause: err });
  }
  if (!isExit(parsed)) throw new SupervisorError('EXIT_FILE_INVALID', path, 'the exit file lacks exitCode/signal/finishedAt');
  return { exitCode: parsed.exitCode, signal: parsed.signal, finishedAt: parsed.finishedAt };
}
