// OCI seccomp actions as the kernel's SECCOMP_RET_* values, and the kernel's own precedence
// between them (used when several rules for one syscall match).
import type { SeccompAction } from '../oci/spec.js';
import { SeccompError } from './errors.js';

const EPERM = 1;
const MAX_ERRNO = 4095;

interface ActionDef {
  base: number;
  /** The action carries a 16-bit value (errno, or the tracer's message). */
  takesErrno: boolean;
}

const ACTIONS: Readonly<Record<Exclude<SeccompAction, 'SCMP_ACT_NOTIFY'>, ActionDef>> = {
  SCMP_ACT_KILL_PROCESS: { base: 0x80000000, takesErrno: false },
  SCMP_ACT_KILL: { base: 0x00000000, takesErrno: false }, // libseccomp's KILL is KILL_THREAD
  SCMP_ACT_KILL_THREAD: { base: 0x00000000, takesErrno: false },
  SCMP_ACT_TRAP: { base: 0x00030000, takesErrno: false },
  SCMP_ACT_ERRNO: { base: 0x00050000, takesErrno: true },
  SCMP_ACT_TRACE: { base: 0x7ff00000, takesErrno: true },
  SCMP_ACT_LOG: { base: 0x7ffc0000, takesErrno: false },
  SCMP_ACT_ALLOW: { base: 0x7fff0000, takesErrno: false },
};

/** libseccomp's default action for a call from an architecture the filter does not handle. */
export const SECCOMP_RET_KILL_THREAD = 0x00000000;

/** The SECCOMP_RET_* value for an action; errnoRet defaults to EPERM as runc does. */
export function actionValue(action: string, errnoRet: number | undefined, object: string): number {
  if (action === 'SCMP_ACT_NOTIFY') {
    throw new SeccompError('UNSUPPORTED_ACTION', `${object}: SCMP_ACT_NOTIFY needs a seccomp listener, which vessel does not support`, action);
  }
  const def = Object.hasOwn(ACTIONS, action) ? ACTIONS[action as keyof typeof ACTIONS] : undefined;
  if (!def) throw new SeccompError('UNKNOWN_ACTION', `${object}: unknown seccomp action ${JSON.stringify(action)}`, String(action));
  if (errnoRet === undefined || errnoRet === null) return (def.base | (def.takesErrno ? EPERM : 0)) >>> 0;
  if (!def.takesErrno) {
    throw new SeccompError('INVALID_ERRNO', `${object}: errnoRet is not supported with ${action}`, action);
  }
  if (!Number.isInteger(errnoRet) || errnoRet < 0 || errnoRet > MAX_ERRNO) {
    throw new SeccompError('INVALID_ERRNO', `${object}: errnoRet ${errnoRet} is not an errno (0..${MAX_ERRNO})`, String(errnoRet));
  }
  return (def.base | errnoRet) >>> 0;
}

/** Smaller is more restrictive: the kernel compares the action bits as a signed 32-bit number. */
export function actionPrecedence(value: number): number {
  return (value & 0xffff0000) | 0;
}

const NAMES: ReadonlyArray<[number, string]> = [
  [0x80000000, 'kill_process'],
  [0x00000000, 'kill_thread'],
  [0x00030000, 'trap'],
  [0x00050000, 'errno'],
  [0x7fc00000, 'user_notif'],
  [0x7ff00000, 'trace'],
  [0x7ffc0000, 'log'],
  [0x7fff0000, 'allow'],
];

/** "allow", "errno(1)", "kill_thread"... for messages and tests. */
export function describeAction(value: number): string {
  const action = (value & 0xffff0000) >>> 0;
  const name = NAMES.find(([v]) => v === action)?.[1] ?? `0x${action.toString(16)}`;
  const data = value & 0xffff;
  return name === 'errno' || name === 'trace' ? `${name}(${data})` : name;
}
