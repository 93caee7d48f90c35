// Facts about a process read from /proc: whether it still exists, and its start time.
import { readFileSync } from 'node:fs';

export interface ProcessStat {
  state: string;
  ppid: number;
  startTime: string;
}

export function readProcessStat(pid: number): ProcessStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may contain spaces and parentheses: fields restart after the last ')'.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: rest[0]!, ppid: Number(rest[1]), startTime: rest[19]! };
}

/** True if `pid` is the same live (non-zombie) process that started at `startTime`. */
export function isAlive(pid: number, startTime: string): boolean {
  if (pid <= 0) return false;
  const st = readProcessStat(pid);
  return st !== undefined && st.startTime === startTime && st.state !== 'Z' && st.state !== 'X';
}
