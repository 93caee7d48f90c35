// `top`: the host's `ps` output, limited to the processes in the container's cgroup.
import { execFileSync } from 'node:child_process';
import type { Engine } from '../engine.js';
import { EngineError } from '../errors.js';
import { backendOf } from '../runtime-backend/index.js';
import { liveState } from './status.js';

export interface ProcessList {
  Titles: string[];
  Processes: string[][];
}

const DEFAULT_PS_ARGS = ['-ef'];

/** Splits a ps line into as many columns as there are titles; the last one keeps its spaces. */
function columns(line: string, count: number): string[] {
  const fields = line.trim().split(/\s+/);
  return [...fields.slice(0, count - 1), fields.slice(count - 1).join(' ')];
}

export function containerTop(engine: Engine, ref: string, psArgs: string[] = []): ProcessList {
  const rec = engine.containers.resolve(ref);
  const status = liveState(engine, rec).status;
  if (status !== 'running' && status !== 'paused') throw new EngineError('BAD_STATE', `Container ${rec.id} is not running`, rec.id);
  const pids = new Set(backendOf(engine, rec).pids(rec.id));
  const args = psArgs.length ? psArgs : DEFAULT_PS_ARGS;
  let output: string;
  try {
    output = execFileSync('ps', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (cause) {
    throw new EngineError('INVALID_OPTION', `ps ${args.join(' ')} failed: ${(cause as { stderr?: string }).stderr?.trim() ?? ''}`, rec.id, { cause });
  }
  const [header = '', ...lines] = output.split('\n').filter((l) => l.trim());
  const titles = header.trim().split(/\s+/);
  const pidColumn = titles.indexOf('PID');
  if (pidColumn < 0) throw new EngineError('INVALID_OPTION', `Couldn't find PID field in ps output`, rec.id);
  const processes = lines.map((l) => columns(l, titles.length)).filter((cols) => pids.has(Number(cols[pidColumn])));
  return { Titles: titles, Processes: processes };
}
