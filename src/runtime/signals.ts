// Signal names and numbers (x86_64), for kill and stop signals.
import { constants } from 'node:os';
import { RuntimeError } from './errors.js';

const table = constants.signals as Record<string, number>;

/** Accepts "KILL", "SIGKILL", "9", or a number; throws on anything else. */
export function parseSignal(input: string | number): number {
  if (typeof input === 'number') return checkRange(input, String(input));
  const s = input.trim().toUpperCase();
  if (/^\d+$/.test(s)) return checkRange(Number(s), input);
  const rt = /^(?:SIG)?RTMIN(?:\+(\d+))?$/.exec(s) ?? /^(?:SIG)?RTMAX(?:-(\d+))?$/.exec(s);
  if (rt) return s.includes('MIN') ? 34 + Number(rt[1] ?? 0) : 64 - Number(rt[1] ?? 0);
  const n = table[s.startsWith('SIG') ? s : `SIG${s}`];
  if (n === undefined) throw new RuntimeError('USAGE', `unknown signal "${input}"`);
  return n;
}

function checkRange(n: number, input: string): number {
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new RuntimeError('USAGE', `invalid signal number "${input}"`);
  return n;
}

