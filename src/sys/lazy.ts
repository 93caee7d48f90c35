// Node built-ins that only some commands need, loaded on first use: each one costs start-up time
// (child_process and tty pull in net and streams), and start-up time is a target.
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

export const childProcess = (): typeof import('node:child_process') => load('node:child_process');
export const tty = (): typeof import('node:tty') => load('node:tty');
