// The supervisor's command line and environment, as the engine's plan execs it.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SupervisorError } from './errors.js';

/** File descriptors as the supervisor sees them after exec. Exactly one output form: pipes, a
 * pty master, or a console socket on which the container's setup sends the pty master. */
export interface SupervisorFds {
  pid: number;
  stdout?: number;
  stderr?: number;
  tty?: number;
  console?: number;
  stdin?: number;
  /** read end of a pipe held by a foreground `run` that records the exit and cleans up itself */
  handoff?: number;
}

export interface SupervisorOptions {
  id: string;
  fds: SupervisorFds;
  logPath?: string;
  /** Rotate the log at this many bytes (one old file, `<log>.1`, is kept). */
  logMaxSize?: number;
  exitFile?: string;
  attachSocket?: string;
  pidFile?: string;
  /** Run when the container has ended and the exit file is written, e.g. the engine's cleanup. */
  onExit?: string[];
}

const BINARY = 'vessel-supervisor';
const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** build/Release/vessel-supervisor next to the native module (VESSEL_SUPERVISOR overrides). */
export function supervisorPath(): string {
  if (process.env.VESSEL_SUPERVISOR) return process.env.VESSEL_SUPERVISOR;
  // dist/*.mjs and src/engine/supervisor/*.ts sit at different depths below the package root
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'build', 'Release', BINARY);
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new SupervisorError('SUPERVISOR_NOT_FOUND', join('build', 'Release', BINARY), 'run `npm ci` (node-gyp builds it)');
}

function checkFds(fds: SupervisorFds): void {
  const pipes = fds.stdout !== undefined || fds.stderr !== undefined;
  const terminals = [fds.tty, fds.console].filter((fd) => fd !== undefined).length;
  const problem =
    terminals > 1 ? 'tty and console exclude each other'
    : terminals && pipes ? 'a terminal excludes stdout/stderr pipes'
    : terminals && fds.stdin !== undefined ? 'a terminal carries stdin itself'
    : Object.values(fds).some((fd) => !Number.isInteger(fd) || fd < 0) ? 'descriptors must be non-negative integers'
    : undefined;
  if (problem) throw new SupervisorError('SUPERVISOR_BAD_OPTIONS', BINARY, problem);
}

const fdFlags: [keyof SupervisorFds, string][] = [
  ['pid', '--pid-fd'],
  ['stdout', '--stdout-fd'],
  ['stderr', '--stderr-fd'],
  ['tty', '--tty-fd'],
  ['console', '--console-fd'],
  ['stdin', '--stdin-fd'],
  ['handoff', '--handoff-fd'],
];

/** argv including argv[0]. */
export function supervisorArgv(opts: SupervisorOptions): string[] {
  checkFds(opts.fds);
  const argv = [BINARY, '--id', opts.id];
  for (const [key, flag] of fdFlags) {
    const fd = opts.fds[key];
    if (fd !== undefined) argv.push(flag, String(fd));
  }
  const paths: [string | undefined, string][] = [
    [opts.logPath, '--log'],
    [opts.exitFile, '--exit-file'],
    [opts.attachSocket, '--attach-socket'],
    [opts.pidFile, '--pid-file'],
  ];
  for (const [value, flag] of paths) if (value !== undefined) argv.push(flag, value);
  if (opts.logMaxSize !== undefined) argv.push('--log-max-size', String(Math.floor(opts.logMaxSize)));
  if (opts.onExit?.length) argv.push('--', ...opts.onExit);
  return argv;
}

/** The supervisor's environment: what its --on-exit program will run with. */
export function supervisorEnv(extra: Record<string, string> = {}): string[] {
  const env = Object.entries(extra).map(([k, v]) => `${k}=${v}`);
  return 'PATH' in extra ? env : [DEFAULT_PATH, ...env];
}
