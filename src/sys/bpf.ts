// bpf(2) as the native module exposes it: load, attach, detach and query programs. The programs
// themselves are built in TypeScript (see cgroups/v2/device-program.ts).
import { sys } from './native.js';

export interface BpfSys {
  /** BPF_PROG_LOAD; `insns` holds 8-byte instructions. Returns a close-on-exec program fd. */
  bpfProgLoad(progType: number, insns: Buffer, license: string): number;
  /** BPF_PROG_ATTACH of `progFd` to `targetFd` (a cgroup directory fd for cgroup programs). */
  bpfProgAttach(targetFd: number, progFd: number, attachType: number, flags?: number): void;
  bpfProgDetach(targetFd: number, progFd: number, attachType: number): void;
  /** BPF_PROG_QUERY: ids of the programs attached directly to `targetFd`. */
  bpfProgQuery(targetFd: number, attachType: number): number[];
  bpfProgGetFdById(id: number): number;
}

export function bpfSys(): BpfSys {
  return sys() as unknown as BpfSys;
}

export const BpfProgType = { CGROUP_DEVICE: 15 } as const;
export const BpfAttachType = { CGROUP_DEVICE: 6 } as const;
export const BpfAttachFlag = { ALLOW_OVERRIDE: 1, ALLOW_MULTI: 2 } as const;
