// vessel-runtime: a runc-compatible command line over the runtime library.
import { appendFileSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import type { LinuxResources, Process } from '../../oci/spec.js';
import * as rt from '../../runtime/index.js';
import { childProcess } from '../../sys/lazy.js';
import type { TraceSession } from '../../trace/session.js';
import { runWithConsole } from './console.js';
import { UsageError, flagHelp, parseArgs, type FlagSpec, type Parsed } from './args.js';

const GLOBAL_FLAGS: FlagSpec[] = [
  { name: 'root', type: 'string', help: `state directory (default ${rt.DEFAULT_STATE_ROOT}; for a user, $XDG_RUNTIME_DIR/vessel-runtime)` },
  { name: 'log', type: 'string', help: 'also write errors and warnings to this file' },
  { name: 'log-format', type: 'string', help: 'log file format: text or json' },
  { name: 'debug', type: 'bool', help: 'verbose logging' },
  { name: 'systemd-cgroup', type: 'bool', help: 'accepted for compatibility; cgroupfs is always used' },
  { name: 'rootless', type: 'string', help: 'accepted for compatibility' },
  { name: 'criu', type: 'string', help: 'accepted for compatibility (checkpoint is not supported)' },
  { name: 'trace', type: 'optional', help: 'print a timeline of every kernel step on stderr (--trace=json: JSON lines; --trace=FILE.json: a Chrome trace file)' },
  { name: 'help', aliases: ['h'], type: 'bool', help: 'show help' },
  { name: 'version', aliases: ['v'], type: 'bool', help: 'print the version' },
];

const CREATE_FLAGS: FlagSpec[] = [
  { name: 'bundle', aliases: ['b'], type: 'string', help: 'path to the bundle (default: current directory)' },
  { name: 'console-socket', type: 'string', help: 'AF_UNIX socket that receives the pty master' },
  { name: 'pid-file', type: 'string', help: 'write the init pid here' },
  { name: 'no-pivot', type: 'bool', help: 'use MS_MOVE instead of pivot_root (for ramdisk roots)' },
  { name: 'no-new-keyring', type: 'bool', help: 'accepted for compatibility' },
  { name: 'preserve-fds', type: 'string', help: 'pass N extra fds (3..3+N-1) to the container' },
];

const EXEC_FLAGS: FlagSpec[] = [
  { name: 'process', aliases: ['p'], type: 'string', help: 'process.json describing the process' },
  { name: 'console-socket', type: 'string', help: 'AF_UNIX socket that receives the pty master' },
  { name: 'tty', aliases: ['t'], type: 'bool', help: 'allocate a pseudo-TTY' },
  { name: 'detach', aliases: ['d'], type: 'bool', help: 'do not wait for the process' },
  { name: 'pid-file', type: 'string', help: 'write the process pid here' },
  { name: 'cwd', type: 'string', help: 'working directory in the container' },
  { name: 'env', aliases: ['e'], type: 'list', help: 'set an environment variable' },
  { name: 'user', aliases: ['u'], type: 'string', help: 'user[:group] (names or ids, looked up in the container)' },
  { name: 'additional-gids', aliases: ['g'], type: 'list', help: 'supplementary group' },
  { name: 'cap', aliases: ['c'], type: 'list', help: 'add a capability' },
  { name: 'no-new-privs', type: 'bool', help: 'set no_new_privs' },
  { name: 'preserve-fds', type: 'string', help: 'pass N extra fds' },
  { name: 'process-label', type: 'string', help: 'accepted for compatibility' },
  { name: 'apparmor', type: 'string', help: 'accepted for compatibility' },
  { name: 'ignore-paused', type: 'bool', help: 'accepted for compatibility' },
  { name: 'cgroup', type: 'string', help: 'accepted for compatibility' },
];

interface Command {
  usage: string;
  help: string;
  flags: FlagSpec[];
  /** Stop flag parsing at the first positional (exec passes the rest to the process). */
  stopAtPositional?: boolean;
  action(ctx: rt.RuntimeContext, p: Parsed): Promise<number> | number;
}

function id(p: Parsed, usage: string): string {
  const v = p.positionals[0];
  if (!v) throw new UsageError(`missing container id; usage: vessel-runtime ${usage}`);
  return v;
}

function num(v: unknown, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${name} must be a non-negative integer`);
  return n;
}

function createOptions(p: Parsed, usage: string): rt.CreateOptions {
  return {
    id: id(p, usage),
    bundle: (p.flags.bundle as string) ?? process.cwd(),
    pidFile: p.flags['pid-file'] as string | undefined,
    consoleSocket: p.flags['console-socket'] as string | undefined,
    noPivot: Boolean(p.flags['no-pivot']),
    preserveFds: num(p.flags['preserve-fds'], '--preserve-fds'),
  };
}

function intFlag(v: string, name: string): number {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new UsageError(`${name} must be an integer`);
  return n;
}

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]! + 3))).join('')).join('\n');
}

function execProcess(ctx: rt.RuntimeContext, p: Parsed, cid: string): Process {
  if (p.flags.process) return JSON.parse(readFileSync(p.flags.process as string, 'utf8')) as Process;
  const args = p.positionals.slice(1);
  if (args.length === 0) throw new UsageError('exec needs a command, or --process FILE');
  const proc: Process = { ...readConfigProcess(ctx, cid), args, terminal: Boolean(p.flags.tty) };
  if (p.flags.cwd) proc.cwd = p.flags.cwd as string;
  if (p.flags.env) proc.env = [...(proc.env ?? []), ...(p.flags.env as string[])];
  if (p.flags.user) {
    const { user, home } = rt.resolveExecUser(ctx, cid, p.flags.user as string);
    proc.user = user;
    // the container's HOME was its own user's; an explicit -e HOME wins
    if (!(p.flags.env as string[] | undefined)?.some((e) => e.startsWith('HOME='))) proc.env = [...(proc.env ?? []).filter((e) => !e.startsWith('HOME=')), `HOME=${home}`];
  }
  if (p.flags['additional-gids']) proc.user = { ...proc.user, additionalGids: (p.flags['additional-gids'] as string[]).map(Number) };
  if (p.flags['no-new-privs']) proc.noNewPrivileges = true;
  if (p.flags.cap) {
    const caps = p.flags.cap as string[];
    const c = proc.capabilities ?? {};
    proc.capabilities = {
      bounding: [...(c.bounding ?? []), ...caps], effective: [...(c.effective ?? []), ...caps],
      permitted: [...(c.permitted ?? []), ...caps], inheritable: c.inheritable, ambient: [...(c.ambient ?? []), ...caps],
    };
  }
  return proc;
}

function readConfigProcess(ctx: rt.RuntimeContext, cid: string): Process {
  const record = ctx.store.read(cid);
  const proc = record.config.process;
  if (!proc) throw new UsageError(`container "${cid}" has no process in its config`);
  return { ...proc, terminal: false, consoleSize: undefined };
}

const COMMANDS: Record<string, Command> = {
  create: {
    usage: 'create [flags] ID',
    help: 'create a container (its program waits for `start`)',
    flags: CREATE_FLAGS,
    action: (ctx, p) => {
      rt.create(ctx, createOptions(p, 'create [flags] ID'));
      return 0;
    },
  },
  start: { usage: 'start ID', help: 'run the program of a created container', flags: [], action: (ctx, p) => (rt.start(ctx, id(p, 'start ID')), 0) },
  run: {
    usage: 'run [flags] ID',
    help: 'create and start a container; wait for it unless --detach',
    flags: [...CREATE_FLAGS, { name: 'detach', aliases: ['d'], type: 'bool', help: 'do not wait for the container' }, { name: 'keep', type: 'bool', help: 'do not delete the container after it exits' }],
    action: async (ctx, p) => {
      const opts: rt.RunOptions = { ...createOptions(p, 'run [flags] ID'), detach: Boolean(p.flags.detach), keep: Boolean(p.flags.keep) };
      const spec = JSON.parse(readFileSync(`${opts.bundle}/config.json`, 'utf8')) as { process?: { terminal?: boolean } };
      if (spec.process?.terminal && !opts.consoleSocket && !opts.detach) {
        try {
          return await runWithConsole((consoleFd) => rt.create(ctx, { ...opts, consoleFd }).pid, () => rt.start(ctx, opts.id));
        } finally {
          if (!opts.keep && ctx.store.exists(opts.id)) rt.deleteContainer(ctx, opts.id, true);
        }
      }
      return rt.run(ctx, opts);
    },
  },
  state: { usage: 'state ID', help: 'print the OCI state of a container', flags: [], action: (ctx, p) => (console.log(JSON.stringify(rt.state(ctx, id(p, 'state ID')), null, 2)), 0) },
  kill: {
    usage: 'kill [--all] ID [SIGNAL]',
    help: 'send a signal (default SIGTERM) to the container',
    flags: [{ name: 'all', aliases: ['a'], type: 'bool', help: 'signal every process of the container' }],
    action: (ctx, p) => (rt.kill(ctx, id(p, 'kill ID [SIGNAL]'), p.positionals[1] ?? 'SIGTERM', Boolean(p.flags.all)), 0),
  },
  delete: {
    usage: 'delete [--force] ID',
    help: 'delete a container',
    flags: [{ name: 'force', aliases: ['f'], type: 'bool', help: 'kill the container first if it is running' }],
    action: (ctx, p) => {
      const cid = id(p, 'delete [--force] ID');
      if (p.flags.force && !ctx.store.exists(cid)) return 0;
      rt.deleteContainer(ctx, cid, Boolean(p.flags.force));
      return 0;
    },
  },
  list: {
    usage: 'list [--format table|json] [-q]',
    help: 'list containers',
    flags: [
      { name: 'format', aliases: ['f'], type: 'string', help: 'table or json' },
      { name: 'quiet', aliases: ['q'], type: 'bool', help: 'ids only' },
    ],
    action: (ctx, p) => {
      const all = rt.list(ctx);
      if (p.flags.quiet) all.forEach((c) => console.log(c.id));
      else if (p.flags.format === 'json') console.log(JSON.stringify(all));
      else console.log(table([['ID', 'PID', 'STATUS', 'BUNDLE', 'CREATED', 'OWNER'], ...all.map((c) => [c.id, String(c.pid), c.status, c.bundle, c.created, c.owner])]));
      return 0;
    },
  },
  ps: {
    usage: 'ps [--format table|json] ID [ps options]',
    help: 'list the processes of a container',
    flags: [{ name: 'format', aliases: ['f'], type: 'string', help: 'table or json' }],
    stopAtPositional: true,
    action: async (ctx, p) => {
      const pids = rt.containerPids(ctx, id(p, 'ps ID'));
      if (p.flags.format === 'json') {
        console.log(JSON.stringify(pids));
        return 0;
      }
      const out = childProcess().execFileSync('ps', p.positionals.length > 1 ? p.positionals.slice(1) : ['-ef'], { encoding: 'utf8' }).split('\n');
      const pidCol = out[0]!.trim().split(/\s+/).indexOf('PID');
      console.log([out[0], ...out.slice(1).filter((l) => pids.includes(Number(l.trim().split(/\s+/)[pidCol])))].join('\n'));
      return 0;
    },
  },
  exec: {
    usage: 'exec [flags] ID [COMMAND ARGS...]',
    help: 'run a process in a running container',
    flags: EXEC_FLAGS,
    stopAtPositional: true,
    action: async (ctx, p) => {
      const cid = id(p, 'exec [flags] ID COMMAND');
      const proc = execProcess(ctx, p, cid);
      const opts: rt.ExecOptions = {
        id: cid, process: proc, pidFile: p.flags['pid-file'] as string | undefined,
        consoleSocket: p.flags['console-socket'] as string | undefined, preserveFds: num(p.flags['preserve-fds'], '--preserve-fds'),
      };
      if (proc.terminal && !opts.consoleSocket && !p.flags.detach) {
        return runWithConsole((consoleFd) => rt.exec(ctx, { ...opts, consoleFd }));
      }
      const pid = rt.exec(ctx, opts);
      return p.flags.detach ? 0 : rt.waitForwardingSignals(pid);
    },
  },
  pause: { usage: 'pause ID', help: 'freeze every process of the container', flags: [], action: (ctx, p) => (rt.pause(ctx, id(p, 'pause ID')), 0) },
  resume: { usage: 'resume ID', help: 'thaw a paused container', flags: [], action: (ctx, p) => (rt.resume(ctx, id(p, 'resume ID')), 0) },
  spec: {
    usage: 'spec [--bundle DIR] [--rootless]',
    help: 'write a default config.json',
    flags: [
      { name: 'bundle', aliases: ['b'], type: 'string', help: 'where to write config.json' },
      { name: 'rootless', type: 'bool', help: 'a spec for a user namespace' },
    ],
    action: (_ctx, p) => {
      const path = `${(p.flags.bundle as string) ?? '.'}/config.json`;
      if (existsSync(path)) throw new UsageError(`${path} already exists; remove it first`);
      writeFileSync(path, JSON.stringify(rt.defaultSpec({ rootless: Boolean(p.flags.rootless), uid: process.getuid?.(), gid: process.getgid?.() }), null, 2));
      return 0;
    },
  },
  update: {
    usage: 'update [flags] ID',
    help: 'change the resource limits of a container',
    flags: [
      { name: 'resources', aliases: ['r'], type: 'string', help: 'JSON file of linux.resources ("-" for stdin)' },
      { name: 'memory', aliases: ['m'], type: 'string', help: 'memory limit (bytes, or 512m, 1g)' },
      { name: 'memory-swap', type: 'string', help: 'memory plus swap limit' },
      { name: 'memory-reservation', type: 'string', help: 'memory soft limit' },
      { name: 'cpu-quota', type: 'string', help: 'CPU time per period, microseconds (-1: none)' },
      { name: 'cpu-period', type: 'string', help: 'CPU period, microseconds' },
      { name: 'cpu-shares', type: 'string', help: 'relative CPU weight' },
      { name: 'cpuset-cpus', type: 'string', help: 'CPUs allowed (0-3, 0,1)' },
      { name: 'cpuset-mems', type: 'string', help: 'memory nodes allowed' },
      { name: 'pids-limit', type: 'string', help: 'maximum number of processes (-1: none)' },
      { name: 'blkio-weight', type: 'string', help: 'block IO weight (10-1000)' },
    ],
    action: (ctx, p) => {
      const cid = id(p, 'update [flags] ID');
      const f = p.flags as Record<string, string | undefined>;
      let res: LinuxResources = {};
      if (f.resources) res = JSON.parse(readFileSync(f.resources === '-' ? 0 : f.resources, 'utf8')) as LinuxResources;
      const int = (v: string | undefined, name: string) => (v === undefined ? undefined : intFlag(v, name));
      const memory = {
        limit: f.memory !== undefined ? rt.parseSizeFlag(f.memory, '--memory') : undefined,
        swap: f['memory-swap'] !== undefined ? rt.parseSizeFlag(f['memory-swap'], '--memory-swap') : undefined,
        reservation: f['memory-reservation'] !== undefined ? rt.parseSizeFlag(f['memory-reservation'], '--memory-reservation') : undefined,
      };
      const cpu = {
        quota: int(f['cpu-quota'], '--cpu-quota'), period: int(f['cpu-period'], '--cpu-period'),
        shares: int(f['cpu-shares'], '--cpu-shares'), cpus: f['cpuset-cpus'], mems: f['cpuset-mems'],
      };
      if (Object.values(memory).some((v) => v !== undefined)) res.memory = { ...res.memory, ...defined(memory) };
      if (Object.values(cpu).some((v) => v !== undefined)) res.cpu = { ...res.cpu, ...defined(cpu) };
      if (f['pids-limit'] !== undefined) res.pids = { limit: intFlag(f['pids-limit'], '--pids-limit') };
      if (f['blkio-weight'] !== undefined) res.blockIO = { ...res.blockIO, weight: intFlag(f['blkio-weight'], '--blkio-weight') };
      for (const n of rt.update(ctx, cid, res)) ctx.warn(n);
      return 0;
    },
  },
  events: {
    usage: 'events [--stats] [--interval 5s] ID',
    help: 'print resource usage and OOM events as JSON lines',
    flags: [
      { name: 'stats', type: 'bool', help: 'print the current stats once and exit' },
      { name: 'interval', type: 'string', help: 'time between stats (default 5s)' },
    ],
    action: async (ctx, p) => {
      const cid = id(p, 'events ID');
      if (p.flags.stats) {
        console.log(JSON.stringify(rt.statsEvent(ctx, cid)));
        return 0;
      }
      const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec((p.flags.interval as string | undefined) ?? '5s');
      if (!m) throw new UsageError('--interval takes a duration such as 500ms, 5s or 1m');
      const ms = Number(m[1]) * ({ ms: 1, s: 1000, m: 60000 } as Record<string, number>)[m[2] ?? 's']!;
      await rt.watchEvents(ctx, cid, ms, (e) => console.log(JSON.stringify(e)));
      return 0;
    },
  },
  features: { usage: 'features', help: 'print what this runtime supports (JSON)', flags: [], action: () => (console.log(JSON.stringify(rt.features(), null, 2)), 0) },
};

function usage(): string {
  const cmds = Object.entries(COMMANDS).map(([n, c]) => `   ${n.padEnd(10)} ${c.help}`).join('\n');
  return `vessel-runtime ${rt.VERSION}: an OCI container runtime\n\nUSAGE:\n   vessel-runtime [global options] command [command options] [arguments...]\n\nCOMMANDS:\n${cmds}\n\nGLOBAL OPTIONS:\n${flagHelp(GLOBAL_FLAGS)}`;
}

function logLine(file: string | undefined, format: string | undefined, level: string, msg: string): void {
  if (!file) return;
  const time = new Date().toISOString();
  const line = format === 'json' ? JSON.stringify({ level, msg, time }) : `time="${time}" level=${level} msg=${JSON.stringify(msg)}`;
  try {
    appendFileSync(file, `${line}\n`);
  } catch {
    // the log is best effort; stderr still has the message
  }
}

async function main(argv: string[]): Promise<number> {
  let global: Parsed;
  try {
    global = parseArgs(argv, GLOBAL_FLAGS, true);
  } catch (e) {
    console.error(`vessel-runtime: ${(e as Error).message}`);
    return 1;
  }
  const logFile = global.flags.log as string | undefined;
  const logFormat = global.flags['log-format'] as string | undefined;
  if (global.flags.version) {
    console.log(`vessel-runtime version ${rt.VERSION}\nspec: 1.2.0`);
    return 0;
  }
  const [name, ...rest] = global.positionals;
  if (!name || global.flags.help || name === 'help') {
    console.log(usage());
    return name || global.flags.help ? 0 : 1;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    console.error(`vessel-runtime: unknown command "${name}"; see vessel-runtime --help`);
    return 1;
  }
  const warn = (m: string) => {
    console.error(`vessel-runtime: warning: ${m}`);
    logLine(logFile, logFormat, 'warning', m);
  };
  const ctx = rt.runtimeContext(global.flags.root as string | undefined, warn);
  let trace: TraceSession | undefined;
  try {
    if (rest.includes('--help') || rest.includes('-h')) {
      console.log(`USAGE:\n   vessel-runtime ${cmd.usage}\n\n${cmd.help}\n\nOPTIONS:\n${flagHelp(cmd.flags)}`);
      return 0;
    }
    const traceFlag = global.flags.trace as string | true | undefined;
    // loaded only when asked for: an untraced command does not initialise the output formats
    if (traceFlag !== undefined) trace = (await import('../../trace/session.js')).startTraceSession(traceFlag, ['vessel-runtime', ...argv].join(' '));
    return await cmd.action(ctx, parseArgs(rest, cmd.flags, cmd.stopAtPositional ?? false));
  } catch (e) {
    const msg = (e as Error).message;
    console.error(`vessel-runtime: ${msg}`);
    logLine(logFile, logFormat, 'error', msg);
    return 1;
  } finally {
    finishTrace(trace);
  }
}

/** The timeline is written whether the command succeeded or failed: a failure is when it helps most. */
function finishTrace(trace: TraceSession | undefined): void {
  try {
    trace?.finish();
  } catch (e) {
    console.error(`vessel-runtime: cannot write the trace: ${(e as Error).message}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(`vessel-runtime: ${(e as Error).stack ?? e}`);
    process.exit(1);
  },
);
