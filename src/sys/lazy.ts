// Node built-ins that only some commands need, loaded on first use: each one costs start-up time
// (child_process and tty pull in net and streams), and start-up time is a target.
import { createRequire } from 'node:module';

// made on first use: at module initialisation a start-up snapshot has no file URL yet
const load = (id: string): unknown => createRequire(import.meta.url)(id);

export const childProcess = (): typeof import('node:child_process') => load('node:child_process') as typeof import('node:child_process');
export const tty = (): typeof import('node:tty') => load('node:tty') as typeof import('node:tty');
export const crypto = (): typeof import('node:crypto') => load('node:crypto') as typeof import('node:crypto');
export const dgram = (): typeof import('node:dgram') => load('node:dgram') as typeof import('node:dgram');
export const net = (): typeof import('node:net') => load('node:net') as typeof import('node:net');
export const stream = (): typeof import('node:stream') => load('node:stream') as typeof import('node:stream');
