// docker's "Are you sure you want to continue? [y/N]" before destructive prunes (skipped with -f).
import { createInterface } from 'node:readline/promises';
import type { Io } from '../command.js';

export async function confirm(io: Io, warning: string): Promise<boolean> {
  const rl = createInterface({ input: io.in, output: io.out });
  const answer = await rl.question(`${warning}\nAre you sure you want to continue? [y/N] `).catch(() => '');
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}
