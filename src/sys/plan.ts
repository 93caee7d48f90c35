// Op codes of the native plan interpreter (native/src/plan.h). A plan is plain data: an ordered list
// of [code, ...args] that the child process executes between clone and execve.
export const Op = {
  SETNS: 1,
  UNSHARE: 2,
  SYNC: 3,
  FORK: 4,
  CLOSE_RANGE: 5,
  CLOSE: 6,
  MOUNT: 7,
  MOUNT_AT: 8,
  MKDIR_AT: 9,
  MKFILE_AT: 10,
  MKNOD_AT: 11,
  SYMLINK_AT: 12,
  OPEN_ROOT: 13,
  PIVOT_ROOT: 14,
  MOVE_ROOT: 15,
  MASK_PATH: 16,
  READONLY_PATH: 17,
  WRITE_FILE: 18,
  SETHOSTNAME: 19,
  SETDOMAINNAME: 20,
  RLIMIT: 21,
  TERMINAL: 22,
  WAIT_FIFO: 23,
  HOOK: 24,
  PRCTL: 25,
  SETGROUPS: 26,
  SETRESGID: 27,
  SETRESUID: 28,
  CAPSET: 29,
  CAP_BOUND: 30,
  CAP_AMBIENT: 31,
  SECCOMP: 32,
  UMASK: 33,
  CHDIR: 34,
  CHECK_EXEC: 35,
  EXEC: 36,
  SETSID: 37,
  MOUNT_PROPAGATION: 38,
  BIND_ROOTFS: 39,
  DUP2: 40,
  INHERIT_FDS: 41,
  CHROOT: 42,
} as const;
export type OpCode = (typeof Op)[keyof typeof Op];

export type PlanArg = number | bigint | string | Buffer | string[];
/** One step: the op code and its arguments, as native/src/plan.h documents them. */
export type PlanOp = [OpCode, ...PlanArg[]];

/** Messages the child sends over the sync socket (struct child_msg, 16 bytes). */
export const MsgType = { SYNC: 1, PID: 2, ERROR: 3 } as const;
export interface ChildMessage {
  type: number;
  opIndex: number;
  value: number;
  detail: number;
}
export const CHILD_MESSAGE_SIZE = 16;

export function decodeChildMessage(buf: Buffer): ChildMessage {
  return {
    type: buf.readInt32LE(0),
    opIndex: buf.readInt32LE(4),
    value: buf.readInt32LE(8),
    detail: buf.readInt32LE(12),
  };
}

const opNames = new Map<number, string>(Object.entries(Op).map(([name, code]) => [code, name.toLowerCase()]));
export function opName(code: number): string {
  return opNames.get(code) ?? `op${code}`;
}
