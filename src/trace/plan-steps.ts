// Joins the native records of a plan with the plan itself: the runtime built every op, so it
// knows each one's arguments; the records add when it ran, for how long, in which process, and
// how it ended. Each op code has one describer: its concept, a short name, and its arguments.
import { Op, type PlanArg, type PlanOp } from '../sys/plan.js';
import { capabilityNames, cloneFlagNames, errnoName, mountFlagNames, rlimitName } from './names.js';
import type { NativeRecord } from './native-records.js';
import type { TimedStep, TraceConcept } from './step.js';

/** What the plan's ops do not carry but the runtime knew when it built them. */
export interface PlanContext {
  /** The seccomp profile's syscall rules (each name of each rule). */
  seccompRules?: number;
  /** What each sync point makes the parent do, by sync code. */
  syncNames?: Record<number, string>;
}

interface Described {
  concept: TraceConcept;
  op: string;
  detail: string;
}

type Args = PlanArg[];
const str = (a: PlanArg | undefined): string => (a === undefined || a === '' ? '-' : String(a));
const list = (a: PlanArg | undefined): string[] => (Array.isArray(a) ? a : []);
const num = (a: PlanArg | undefined): number => Number(a ?? 0);

const PR_NAMES: Record<number, [TraceConcept, string]> = {
  4: ['security', 'PR_SET_DUMPABLE'],
  8: ['security', 'PR_SET_KEEPCAPS'],
  38: ['security', 'no_new_privs'],
};

function mountDetail(source: PlanArg, target: string, fstype: PlanArg, flags: PlanArg, data: PlanArg): string {
  const parts = [`${str(source)} on ${target}`];
  if (fstype) parts.push(`type ${fstype}`);
  parts.push(`flags ${mountFlagNames(num(flags))}`);
  if (data) parts.push(`data ${data}`);
  return parts.join(' ');
}

/** Where a fd placed by OPEN_ROOT points: MOUNT_AT and friends resolve their paths below it. */
function rootPaths(ops: PlanOp[]): Map<number, string> {
  const roots = new Map<number, string>();
  for (const op of ops) if (op[0] === Op.OPEN_ROOT) roots.set(num(op[2]), String(op[1]));
  return roots;
}

function describer(ops: PlanOp[], ctx: PlanContext): (op: PlanOp) => Described {
  const roots = rootPaths(ops);
  const inRoot = (fd: PlanArg, rel: PlanArg, name?: PlanArg) =>
    `${roots.get(num(fd)) ?? `fd ${fd}`}/${[rel, name].filter((p) => p !== undefined && p !== '').join('/')}`;
  const hasAmbient = ops.some((o) => o[0] === Op.CAP_AMBIENT);
  const table: Record<number, (a: Args) => Described> = {
    [Op.SETNS]: (a) => ({ concept: 'namespace', op: 'setns', detail: `${cloneFlagNames(num(a[1]))} (fd ${a[0]})` }),
    [Op.UNSHARE]: (a) => ({ concept: 'namespace', op: 'unshare', detail: cloneFlagNames(num(a[0])) }),
    [Op.SYNC]: (a) => ({ concept: 'process', op: 'sync', detail: ctx.syncNames?.[num(a[0])] ?? `code ${a[0]}` }),
    [Op.FORK]: (a) => ({ concept: 'process', op: 'clone', detail: num(a[0]) ? `${cloneFlagNames(num(a[0]))}|SIGCHLD` : 'SIGCHLD' }),
    [Op.CLOSE_RANGE]: (a) => ({ concept: 'process', op: 'close_range', detail: `${a[0]}..${num(a[1]) >= 0xffffffff ? 'max' : a[1]}` }),
    [Op.CLOSE]: (a) => ({ concept: 'process', op: 'close', detail: `fd ${a[0]}` }),
    [Op.MOUNT]: (a) => ({ concept: 'rootfs', op: 'mount', detail: mountDetail(a[0]!, String(a[1]), a[2]!, a[3]!, a[4]!) }),
    [Op.MOUNT_AT]: (a) => ({ concept: 'rootfs', op: 'mount', detail: mountDetail(a[2]!, inRoot(a[0]!, a[1]!), a[3]!, a[4]!, a[5]!) }),
    [Op.MKDIR_AT]: (a) => ({ concept: 'rootfs', op: 'mkdir', detail: `${inRoot(a[0]!, a[1]!, a[2])} mode ${num(a[3]).toString(8)}` }),
    [Op.MKFILE_AT]: (a) => ({ concept: 'rootfs', op: 'mkfile', detail: `${inRoot(a[0]!, a[1]!, a[2])} mode ${num(a[3]).toString(8)}` }),
    [Op.MKNOD_AT]: (a) => ({ concept: 'rootfs', op: 'mknod', detail: `${inRoot(a[0]!, a[1]!, a[2])} ${a[4]}:${a[5]} mode ${num(a[3]).toString(8)}` }),
    [Op.SYMLINK_AT]: (a) => ({ concept: 'rootfs', op: 'symlink', detail: `${inRoot(a[0]!, a[1]!, a[2])} -> ${a[3]}` }),
    [Op.OPEN_ROOT]: (a) => ({ concept: 'rootfs', op: 'open', detail: `${a[0]} as fd ${a[1]}` }),
    [Op.PIVOT_ROOT]: (a) => ({ concept: 'rootfs', op: 'pivot_root', detail: `${a[0]} becomes /, the old root detached` }),
    [Op.MOVE_ROOT]: (a) => ({ concept: 'rootfs', op: 'move_root', detail: `${a[0]} moved onto / and chrooted (--no-pivot)` }),
    [Op.MASK_PATH]: (a) => ({ concept: 'security', op: 'mask', detail: String(a[0]) }),
    [Op.READONLY_PATH]: (a) => ({ concept: 'security', op: 'readonly', detail: String(a[0]) }),
    [Op.WRITE_FILE]: (a) => ({ concept: String(a[0]).startsWith('/proc/sys/') ? 'namespace' : 'process', op: 'write', detail: `${a[0]} = ${a[1]}` }),
    [Op.SETHOSTNAME]: (a) => ({ concept: 'namespace', op: 'sethostname', detail: String(a[0]) }),
    [Op.SETDOMAINNAME]: (a) => ({ concept: 'namespace', op: 'setdomainname', detail: String(a[0]) }),
    [Op.RLIMIT]: (a) => ({ concept: 'process', op: 'prlimit', detail: `${rlimitName(num(a[0]))} soft ${limit(a[1])} hard ${limit(a[2])}` }),
    [Op.TERMINAL]: (a) => ({ concept: 'process', op: 'terminal', detail: `pty master sent over fd ${a[0]}${a[1] ? `, ${a[2]}x${a[1]}` : ''}` }),
    [Op.WAIT_FIFO]: () => ({ concept: 'process', op: 'wait', detail: 'exec fifo: blocks until `start`' }),
    [Op.HOOK]: (a) => ({ concept: 'process', op: 'hook', detail: [String(a[0]), ...list(a[1]).slice(1)].join(' ') }),
    [Op.PRCTL]: (a) => {
      const [concept, name] = PR_NAMES[num(a[0])] ?? ['process', `prctl ${a[0]}`];
      return { concept, op: 'prctl', detail: `${name} ${a[1]}` };
    },
    [Op.SETGROUPS]: (a) => ({ concept: 'security', op: 'setgroups', detail: gids(a[0]) }),
    [Op.SETRESGID]: (a) => ({ concept: 'security', op: 'setresgid', detail: String(a[0]) }),
    [Op.SETRESUID]: (a) => ({ concept: 'security', op: 'setresuid', detail: String(a[0]) }),
    [Op.CAPSET]: (a) => ({
      concept: 'security',
      op: 'capset',
      detail: `effective ${capabilityNames(num(a[0]), num(a[1]))}; permitted ${capabilityNames(num(a[2]), num(a[3]))}; inheritable ${capabilityNames(num(a[4]), num(a[5]))}${hasAmbient ? '' : '; ambient none'}`,
    }),
    [Op.CAP_BOUND]: (a) => ({ concept: 'security', op: 'capbset', detail: `bounding ${capabilityNames(num(a[0]), num(a[1]))}` }),
    [Op.CAP_AMBIENT]: (a) => ({ concept: 'security', op: 'ambient', detail: `ambient ${capabilityNames(num(a[0]), num(a[1]))}` }),
    [Op.SECCOMP]: (a) => ({
      concept: 'security',
      op: 'seccomp',
      detail: `${ctx.seccompRules !== undefined ? `${ctx.seccompRules} rules, ` : ''}${Buffer.isBuffer(a[0]) ? a[0].length / 8 : 0} BPF instructions, flags ${a[1]}`,
    }),
    [Op.UMASK]: (a) => ({ concept: 'process', op: 'umask', detail: `0${num(a[0]).toString(8)}` }),
    [Op.CHDIR]: (a) => ({ concept: 'process', op: 'chdir', detail: `${a[0]}${a[1] ? ' (checked inside the root)' : ''}` }),
    [Op.CHECK_EXEC]: (a) => ({ concept: 'process', op: 'check', detail: `executable: ${list(a[0]).join(' | ')}` }),
    [Op.EXEC]: (a) => ({
      concept: 'process',
      op: 'execve',
      detail: `argv ${JSON.stringify(list(a[1]))} env ${list(a[2]).map((e) => e.split('=')[0]).join(',') || 'none'}`,
    }),
    [Op.SETSID]: () => ({ concept: 'process', op: 'setsid', detail: 'new session' }),
    [Op.MOUNT_PROPAGATION]: (a) => ({ concept: 'rootfs', op: 'mount', detail: `${a[0]} propagation ${mountFlagNames(num(a[1]))}` }),
    [Op.BIND_ROOTFS]: (a) => ({ concept: 'rootfs', op: 'mount', detail: `${a[0]} on itself flags MS_BIND|MS_REC (a mount point for pivot_root)` }),
    [Op.DUP2]: (a) => ({ concept: 'process', op: 'dup2', detail: `fd ${a[0]} -> ${a[1]}` }),
    [Op.INHERIT_FDS]: (a) => ({ concept: 'process', op: 'inherit', detail: `fds ${a[0]}..${a[1]} survive execve` }),
    [Op.CHROOT]: (a) => ({ concept: 'rootfs', op: 'chroot', detail: String(a[0]) }),
  };
  return (op) => table[op[0]]?.(op.slice(1) as Args) ?? { concept: 'process', op: `op${op[0]}`, detail: '' };
}

function limit(a: PlanArg | undefined): string {
  return typeof a === 'bigint' && a === 0xffffffffffffffffn ? 'unlimited' : String(a);
}

function gids(a: PlanArg | undefined): string {
  if (!Buffer.isBuffer(a) || a.length === 0) return 'none';
  const out: number[] = [];
  for (let i = 0; i + 4 <= a.length; i += 4) out.push(a.readUInt32LE(i));
  return out.join(',');
}

/**
 * An EXEC step records each candidate it tries (a PATH search): one step per process, from its
 * first attempt to the last, which names the program that ran (or the errno of the last failure).
 */
function mergeExecAttempts(ops: PlanOp[], records: NativeRecord[]): NativeRecord[] {
  const merged: NativeRecord[] = [];
  const execAt = new Map<string, number>();
  for (const r of records) {
    const isExec = r.opIndex >= 0 && ops[r.opIndex]?.[0] === Op.EXEC;
    const key = `${r.pid}/${r.opIndex}`;
    const at = isExec ? execAt.get(key) : undefined;
    if (at === undefined) {
      if (isExec) execAt.set(key, merged.length);
      merged.push(r);
      continue;
    }
    const prev = merged[at]!;
    // a failure record does not know the candidate: it is the one the previous attempt named
    merged[at] = { ...r, startUs: prev.startUs, detail: r.result ? prev.detail : r.detail };
  }
  return merged;
}

/** The steps of one plan run, from its records. */
export function planSteps(ops: PlanOp[], records: NativeRecord[], ctx: PlanContext = {}): TimedStep[] {
  const describe = describer(ops, ctx);
  return mergeExecAttempts(ops, records).map((r): TimedStep => {
    const d: Described = r.opIndex < 0
      ? { concept: 'process', op: 'execveat', detail: 'vessel-nsexec from its sealed memfd; plan read' }
      : describe(ops[r.opIndex] ?? [0 as never]);
    let detail = d.detail;
    const code = r.opIndex >= 0 ? ops[r.opIndex]?.[0] : undefined;
    if (code === Op.FORK && r.result === 0) detail += ` -> pid ${r.detail}`;
    if (code === Op.EXEC) detail = `${list(ops[r.opIndex]![1])[r.detail] ?? '?'} ${detail}`;
    return {
      concept: d.concept,
      op: d.op,
      detail,
      atUs: r.startUs,
      durUs: Math.max(0, r.endUs - r.startUs),
      pid: r.pid,
      ...(r.result ? { error: errnoName(r.result) } : {}),
    };
  });
}
